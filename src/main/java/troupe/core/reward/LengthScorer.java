package troupe.core.reward;

import troupe.core.config.ConfigReader;
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
     * Defaults in {@code troupe.rewards.defaults.length} (reference.conf).
     *
     * @param objective objective name
     * @param mode BREVITY or TARGET
     * @param unit TOKENS or CHARS
     * @param target target length for TARGET mode, ≥ 0
     */
    public record Settings(String objective, Mode mode, Unit unit, int target) {
        public static Settings fromConfig(ConfigReader r) {
            r.requireOnly(Set.of("objective", "mode", "unit", "target"));
            return new Settings(r.string("objective"), r.enumOf("mode", Mode.class), r.enumOf("unit", Unit.class),
                    r.intIn("target", 0, Integer.MAX_VALUE));
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
        public RewardScorer create(ConfigReader block) {
            return new LengthScorer(Settings.fromConfig(block));
        }
    }
}
