package troupe.core.reward.judge;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import troupe.core.config.SettingsException;
import troupe.core.reward.ScoreInput;

/**
 * A judge's prompt template: {@code {prompt}} and {@code {response}} are the sample's texts and
 * {@code {name}} any other metadata field (e.g. {@code {answer}}). Only a brace around a name
 * ({@code [A-Za-z_][A-Za-z0-9_-]*}) is a placeholder, so JSON or code in a template stays as
 * written. Rendered as plain text: a judge folder's chat template is not applied.
 */
public final class JudgeTemplate {

    private static final Pattern FIELD = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_-]*)}");

    /** Literal text and field names, alternating: parts[0] text, parts[1] field, parts[2] text, … */
    private final List<String> parts;

    private JudgeTemplate(List<String> parts) {
        this.parts = parts;
    }

    /**
     * @throws SettingsException naming {@code key} when the template never shows the response
     */
    public static JudgeTemplate parse(String text, String key) {
        List<String> parts = new ArrayList<>();
        Matcher m = FIELD.matcher(text);
        int at = 0;
        boolean response = false;
        while (m.find()) {
            parts.add(text.substring(at, m.start()));
            parts.add(m.group(1));
            response |= m.group(1).equals("response");
            at = m.end();
        }
        parts.add(text.substring(at));
        if (!response) {
            throw SettingsException.because(key, "the template has no {response}, so the judge would not see it");
        }
        return new JudgeTemplate(List.copyOf(parts));
    }

    /** The fields the template names, other than prompt and response, in order of appearance. */
    public List<String> fields() {
        List<String> out = new ArrayList<>();
        for (int i = 1; i < parts.size(); i += 2) {
            String f = parts.get(i);
            if (!f.equals("prompt") && !f.equals("response") && !out.contains(f)) {
                out.add(f);
            }
        }
        return out;
    }

    /** The rendered text, or the first field the sample's metadata lacks (a per-sample outcome). */
    public Rendered render(ScoreInput in) {
        StringBuilder out = new StringBuilder(parts.get(0));
        for (int i = 1; i < parts.size(); i += 2) {
            String f = parts.get(i);
            String value = switch (f) {
                case "prompt" -> in.promptText();
                case "response" -> in.responseText();
                default -> in.metadata().get(f);
            };
            if (value == null) {
                return new Rendered(null, Optional.of(f));
            }
            out.append(value).append(parts.get(i + 1));
        }
        return new Rendered(out.toString(), Optional.empty());
    }

    /** @param text the rendered prompt, or null when {@code missing} names an absent field */
    public record Rendered(String text, Optional<String> missing) {
    }
}
