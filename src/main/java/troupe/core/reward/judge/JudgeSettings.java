package troupe.core.reward.judge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import troupe.core.config.ConfigReader;
import troupe.core.config.SettingsException;

/**
 * Settings of the {@value LlmJudgeScorer#NAME} scorer; defaults in
 * {@code troupe.rewards.defaults.llm-judge} (reference.conf).
 *
 * @param model the judge's HF model folder (required, no default); its own tokenizer
 * @param objective objective name
 * @param template the prompt template ({@code {prompt}}, {@code {response}}, {@code {field}})
 * @param mode verdict (P(yes) of the next token) or number (greedy decode, first number parsed)
 * @param yes verdict string for "yes": must be one token of the judge's tokenizer
 * @param no verdict string for "no": must be one token of the judge's tokenizer
 * @param maxNewTokens tokens decoded in number mode ≥ 1
 * @param maxScore the number that scores 1 in number mode (&gt; 0)
 * @param batchSize sequences per forward ≥ 1
 * @param maxLength tokens kept per rendered prompt (the last ones) ≥ 2
 */
public record JudgeSettings(Path model, String objective, JudgeTemplate template, Mode mode, String yes, String no,
                            int maxNewTokens, double maxScore, int batchSize, int maxLength) {

    /** How a judge's output becomes a score. */
    public enum Mode {
        /** score = P(yes) / (P(yes) + P(no)) of the next token. */
        VERDICT,
        /** score = clamp(first number of the greedy output / max-score, 0, 1). */
        NUMBER
    }

    static final Set<String> KEYS = Set.of("model", "objective", "template", "template-file", "mode", "yes", "no",
            "max-new-tokens", "max-score", "batch-size", "max-length");

    /**
     * Reads and checks every key; {@code template-file}, when set, replaces {@code template}.
     *
     * @throws SettingsException naming the key: unknown keys, a missing model folder, an
     *     unreadable template file, a template without {@code {response}}
     */
    public static JudgeSettings fromConfig(ConfigReader r) {
        r.requireOnly(KEYS);
        Path model = Path.of(r.string("model"));
        if (!Files.isDirectory(model)) {
            throw SettingsException.because(r.key("model"), "no model folder at " + model);
        }
        String key = r.has("template-file") ? "template-file" : "template";
        String text = r.string(key);
        if (key.equals("template-file")) {
            try {
                text = Files.readString(Path.of(text));
            } catch (IOException | RuntimeException e) {
                throw SettingsException.because(r.key(key), "cannot read template file " + text + ": " + e);
            }
        }
        JudgeTemplate template = JudgeTemplate.parse(text, r.key(key));
        String yes = r.string("yes");
        String no = r.string("no");
        if (yes.equals(no)) {
            throw SettingsException.because(r.key("no"), "must differ from yes (both \"" + yes + "\")");
        }
        return new JudgeSettings(model, r.string("objective"), template, r.enumOf("mode", Mode.class), yes, no,
                r.intIn("max-new-tokens", 1, 4096), r.doubleAbove("max-score", 0, Double.MAX_VALUE),
                r.intIn("batch-size", 1, Integer.MAX_VALUE), r.intIn("max-length", 2, Integer.MAX_VALUE));
    }
}
