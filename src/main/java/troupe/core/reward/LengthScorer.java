package troupe.core.reward;

import java.util.List;
import java.util.Set;
import troupe.core.config.ConfigReader;
import troupe.core.config.SettingsException;

/**
 * Response length as an objective. Length counts response tokens (EOS included, as in the mask of
 * ALGORITHMS.md §0) or characters of the decoded text; s = {@code scale}, d = length − target.
 * <ul>
 *   <li>{@code BREVITY}: score = length / s, minimised.
 *   <li>{@code TARGET}: score = −penalty, maximised (0 at the target), with penalty by {@code shape}:
 *       linear |d|/s, quadratic (d/s)², hinge max(0, d)/s (only going over the target costs).
 * </ul>
 * s is the distance that costs 1; with s = 1 and a linear shape this is −|length − target|.
 */
public final class LengthScorer implements ExplainedScorer {

    public enum Mode { BREVITY, TARGET }

    public enum Unit { TOKENS, CHARS }

    public enum Shape { LINEAR, QUADRATIC, HINGE }

    /**
     * Defaults in {@code troupe.rewards.defaults.length} (reference.conf).
     *
     * @param objective objective name
     * @param mode BREVITY or TARGET
     * @param unit TOKENS or CHARS
     * @param target target length for TARGET mode, ≥ 0
     * @param shape penalty shape of TARGET mode (BREVITY takes only LINEAR)
     * @param scale length units that cost 1, &gt; 0
     */
    public record Settings(String objective, Mode mode, Unit unit, int target, Shape shape, double scale) {
        public static Settings fromConfig(ConfigReader r) {
            r.requireOnly(Set.of("objective", "mode", "unit", "target", "shape", "scale"));
            Mode mode = r.enumOf("mode", Mode.class);
            Shape shape = r.enumOf("shape", Shape.class);
            if (mode == Mode.BREVITY && shape != Shape.LINEAR) {
                throw SettingsException.because(r.key("shape"), "mode \"brevity\" scores length itself; shape "
                        + "applies to mode \"target\"");
            }
            return new Settings(r.string("objective"), mode, r.enumOf("unit", Unit.class),
                    r.intIn("target", 0, Integer.MAX_VALUE), shape, r.doubleAbove("scale", 0, Double.MAX_VALUE));
        }
    }

    private final Settings settings;
    private final Objective objective;

    public LengthScorer(Settings settings) {
        this.settings = settings;
        this.objective = objectiveOf(settings);
    }

    private static Objective objectiveOf(Settings s) {
        String unit = s.unit() == Unit.TOKENS ? "tokens" : "characters";
        return s.mode() == Mode.BREVITY
                ? new Objective(s.objective(), Direction.MINIMIZE, "response length in " + unit)
                : new Objective(s.objective(), Direction.MAXIMIZE, "minus " + s.shape().name().toLowerCase()
                        + " penalty of the distance to " + s.target() + " " + unit);
    }

    @Override
    public Objective objective() {
        return objective;
    }

    @Override
    public List<Explained> explain(List<ScoreInput> batch) {
        return batch.stream().map(this::explainOne).toList();
    }

    private Explained explainOne(ScoreInput in) {
        boolean tokens = settings.unit() == Unit.TOKENS;
        int len = tokens ? in.responseTokens().length : in.responseText().length();
        return new Explained((float) score(len), len + (tokens ? " tokens" : " chars"));
    }

    /** The score of a response of {@code len} units. */
    double score(int len) {
        double s = settings.scale();
        if (settings.mode() == Mode.BREVITY) {
            return len / s;
        }
        double d = (double) len - settings.target();
        double penalty = switch (settings.shape()) {
            case LINEAR -> Math.abs(d) / s;
            case QUADRATIC -> (d / s) * (d / s);
            case HINGE -> Math.max(0, d) / s;
        };
        return penalty == 0 ? 0 : -penalty; // not -0.0, which troupe score would print
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
