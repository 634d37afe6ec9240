package troupe.core.reward.rules;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import troupe.core.config.ConfigReader;
import troupe.core.config.SettingsException;
import troupe.core.reward.Direction;
import troupe.core.reward.Objective;
import troupe.core.reward.RewardScorer;
import troupe.core.reward.RewardScorerFactory;
import troupe.core.reward.ScoreInput;

/**
 * {@code regex}: with no {@code field}, 1 when {@code pattern} is found anywhere in the response;
 * with a {@code field}, 1 when group {@code capture} of the first match equals that dataset field
 * (both trimmed). Else 0. (The {@code format} scorer is the whole-response match.)
 */
public final class RegexRule extends RuleScorer {

    public static final String NAME = "regex";

    /**
     * Defaults in {@code troupe.rewards.defaults.regex} (reference.conf).
     *
     * @param objective objective name
     * @param pattern Java regex; required
     * @param capture group compared with the field, 0 = the whole match; ≤ the pattern's groups
     * @param field dataset field to compare the group with; "" = match only
     */
    public record Settings(String objective, String pattern, int capture, String field) {
        public static Settings fromConfig(ConfigReader r) {
            r.requireOnly(Set.of("objective", "pattern", "capture", "field"));
            String pattern = r.string("pattern");
            Pattern compiled;
            try {
                compiled = Pattern.compile(pattern);
            } catch (PatternSyntaxException e) {
                throw new SettingsException(r.key("pattern"), "a Java regular expression", pattern);
            }
            int groups = compiled.matcher("").groupCount();
            int capture = r.intIn("capture", 0, groups);
            if (capture > 0 && r.string("field").isEmpty()) {
                throw SettingsException.because(r.key("capture"), "needs field = <dataset field> to compare the group with");
            }
            return new Settings(Rules.objective(r), pattern, capture, r.string("field").strip());
        }
    }

    private final Settings settings;
    private final Pattern pattern;

    public RegexRule(Settings settings) {
        super(new Objective(settings.objective(), Direction.MAXIMIZE, settings.field().isEmpty()
                ? "finds /" + settings.pattern() + "/"
                : "group " + settings.capture() + " of /" + settings.pattern() + "/ equals field " + settings.field()));
        this.settings = settings;
        this.pattern = Pattern.compile(settings.pattern());
    }

    @Override
    protected Explained explainOne(ScoreInput in) {
        Optional<String> reference = settings.field().isEmpty() ? Optional.of("") : field(in, settings.field());
        if (reference.isEmpty()) {
            return missingField(settings.field());
        }
        Matcher m = pattern.matcher(in.responseText());
        if (!m.find()) {
            return fail("no match");
        }
        if (settings.field().isEmpty()) {
            return pass("match");
        }
        String captured = m.group(settings.capture());
        if (captured == null) {
            return fail("group " + settings.capture() + " did not take part in the match");
        }
        return captured.strip().equals(reference.get().strip()) ? pass("match")
                : fail("captured \"" + shortened(captured, 40) + "\", not the reference");
    }

    /** Registry entry {@code "regex"}. */
    public static final class Factory implements RewardScorerFactory {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public RewardScorer create(ConfigReader block) {
            return new RegexRule(Settings.fromConfig(block));
        }
    }
}
