package troupe.core.reward;

import troupe.core.config.ConfigReader;
import java.util.Set;

/**
 * Response length as an objective. {@code BREVITY}: score = length, minimised. {@code TARGET}:
 * score = −|length − target|, maximised (0 at the target). Length counts response tokens (EOS
 * included, as in the mask of ALGORITHMS.md §0) or characters of the decoded text.
 */
public final class LengthScorer extends PerSampleScorer {

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

    public LengthScorer(Settings settings) {
        super(objectiveOf(settings));
        this.settings = settings;
    }

    private static Objective objectiveOf(Settings s) {
        String unit = s.unit() == Unit.TOKENS ? "tokens" : "characters";
        return s.mode() == Mode.BREVITY
                ? new Objective(s.objective(), Direction.MINIMIZE, "response length in " + unit)
                : new Objective(s.objective(), Direction.MAXIMIZE, "minus distance to " + s.target() + " " + unit);
    }

    @Override
    protected double scoreOne(ScoreInput in) {
        int len = settings.unit() == Unit.TOKENS ? in.responseTokens().length : in.responseText().length();
        return settings.mode() == Mode.BREVITY ? len : -Math.abs(len - settings.target());
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
