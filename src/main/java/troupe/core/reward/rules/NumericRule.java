package troupe.core.reward.rules;

import java.util.Optional;
import java.util.Set;
import troupe.core.config.ConfigReader;
import troupe.core.reward.Direction;
import troupe.core.reward.Objective;
import troupe.core.reward.RewardScorer;
import troupe.core.reward.RewardScorerFactory;
import troupe.core.reward.ScoreInput;

/**
 * {@code numeric}: 1 when the response's number x is close to the reference r of a dataset field,
 * |x − r| ≤ max(abs-tol, rel-tol·|r|) (Python's {@code math.isclose}), else 0. x is the last
 * number of the response, or of its last {@code \boxed{}}; r is the last number of the field
 * ("… #### 72" gives 72).
 */
public final class NumericRule extends RuleScorer {

    public static final String NAME = "numeric";

    /** Where the response's number is read. */
    public enum Source { LAST_NUMBER, BOXED }

    /**
     * Defaults in {@code troupe.rewards.defaults.numeric} (reference.conf).
     *
     * @param objective objective name
     * @param field dataset field holding the reference number
     * @param source the last number of the response, or the last number inside its last \boxed{}
     * @param relTol relative tolerance, ≥ 0
     * @param absTol absolute tolerance, ≥ 0
     */
    public record Settings(String objective, String field, Source source, double relTol, double absTol) {
        public static Settings fromConfig(ConfigReader r) {
            r.requireOnly(Set.of("objective", "field", "source", "rel-tol", "abs-tol"));
            return new Settings(Rules.objective(r), Rules.field(r), r.enumOf("source", Source.class),
                    r.doubleIn("rel-tol", 0, Double.MAX_VALUE), r.doubleIn("abs-tol", 0, Double.MAX_VALUE));
        }
    }

    private final Settings settings;

    public NumericRule(Settings settings) {
        super(new Objective(settings.objective(), Direction.MAXIMIZE, "1 when the number is within rel-tol "
                + settings.relTol() + " / abs-tol " + settings.absTol() + " of field " + settings.field()));
        this.settings = settings;
    }

    @Override
    protected Explained explainOne(ScoreInput in) {
        Optional<String> reference = field(in, settings.field());
        if (reference.isEmpty()) {
            return missingField(settings.field());
        }
        Optional<Double> expected = Extract.lastNumberValue(reference.get());
        if (expected.isEmpty()) {
            return fail("field " + settings.field() + " holds no number");
        }
        String text = in.responseText();
        if (settings.source() == Source.BOXED) {
            Optional<String> boxed = Extract.boxed(text);
            if (boxed.isEmpty()) {
                return fail(Extract.Mode.BOXED.absent());
            }
            text = boxed.get();
        }
        Optional<Double> got = Extract.lastNumberValue(text);
        if (got.isEmpty()) {
            return fail("no number");
        }
        return close(got.get(), expected.get()) ? pass("match") : fail("off by " + (float) Math.abs(got.get() - expected.get()));
    }

    /** |x − r| ≤ max(abs-tol, rel-tol·|r|); equal infinities count as close, NaN never does. */
    boolean close(double x, double r) {
        if (x == r) {
            return true;
        }
        return Math.abs(x - r) <= Math.max(settings.absTol(), settings.relTol() * Math.abs(r));
    }

    /** Registry entry {@code "numeric"}. */
    public static final class Factory implements RewardScorerFactory {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public RewardScorer create(ConfigReader block) {
            return new NumericRule(Settings.fromConfig(block));
        }
    }
}
