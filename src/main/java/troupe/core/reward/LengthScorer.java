package troupe.core.reward;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Set;

/**
 * Response length as an objective. {@code BREVITY}: score = length, minimised. {@code TARGET}:
 * score = −|length − target|, maximised (0 at the target). Length counts response tokens (EOS
 * included, as in the mask of ALGORITHMS.md §0) or characters of the decoded text.
 */
public final class LengthScorer implements RewardScorer {

    public enum Mode { BREVITY, TARGET }

    public enum Unit { TOKENS, CHARS }

    /**
     * @param objective objective name; default "length"
     * @param mode default BREVITY
     * @param unit default TOKENS
     * @param target target length for TARGET mode, ≥ 0; default 32
     */
    public record Settings(String objective, Mode mode, Unit unit, int target) {
        public Settings {
            if (target < 0) {
                throw new IllegalArgumentException("target length must be >= 0, got " + target);
            }
        }

        public static Settings defaults() {
            return new Settings("length", Mode.BREVITY, Unit.TOKENS, 32);
        }

        public static Settings fromConfig(Config c) {
            ConfigKeys.requireOnly(c, Set.of("objective", "mode", "unit", "target"), "length scorer");
            Settings d = defaults();
            return new Settings(ConfigKeys.string(c, "objective", d.objective()),
                    ConfigKeys.enumValue(c, "mode", Mode.class, d.mode()),
                    ConfigKeys.enumValue(c, "unit", Unit.class, d.unit()),
                    (int) ConfigKeys.number(c, "target", d.target()));
        }
    }

    private final Settings settings;
    private final Objective objective;

    public LengthScorer(Settings settings) {
        this.settings = settings;
        this.objective = settings.mode() == Mode.BREVITY
                ? new Objective(settings.objective(), Direction.MINIMIZE, "response length in " + unitName())
                : new Objective(settings.objective(), Direction.MAXIMIZE,
                        "minus distance to " + settings.target() + " " + unitName());
    }

    @Override
    public Objective objective() {
        return objective;
    }

    @Override
    public float[] score(List<ScoreInput> batch) {
        float[] out = new float[batch.size()];
        for (int i = 0; i < out.length; i++) {
            ScoreInput in = batch.get(i);
            int len = settings.unit() == Unit.TOKENS ? in.responseTokens().length : in.responseText().length();
            out[i] = settings.mode() == Mode.BREVITY ? len : -Math.abs(len - settings.target());
        }
        return out;
    }

    private String unitName() {
        return settings.unit() == Unit.TOKENS ? "tokens" : "characters";
    }

    /** Registry entry {@code "length"}. */
    public static final class Factory implements RewardScorerFactory {
        @Override
        public String name() {
            return "length";
        }

        @Override
        public RewardScorer create(Config config) {
            return new LengthScorer(Settings.fromConfig(config));
        }
    }
}
