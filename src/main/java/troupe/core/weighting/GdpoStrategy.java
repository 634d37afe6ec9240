package troupe.core.weighting;

import com.google.gson.JsonElement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import troupe.core.config.ConfigReader;
import troupe.core.reward.Objective;
import troupe.core.reward.RunningStats;

/**
 * GDPO normalise-then-sum (TRL GRPO {@code multi_objective_aggregation = normalize_then_sum}):
 *
 * <pre>
 * a_ik = (s_k·r_ik − mean_g(k)) / (std_g(k) + eps)    per objective, within the sample's group
 * A_i  = Σ_k w_k·a_ik;  then (A_i − mean)/(std + eps) over the batch (optional)
 * </pre>
 *
 * The result is an advantage ({@link WeightingResult.Kind#ADVANTAGE}). Each objective is
 * normalised on its own, so one with a large raw scale cannot drown the others.
 */
public final class GdpoStrategy extends AbstractWeightingStrategy {

    public static final String NAME = "gdpo";

    /**
     * The {@code weighting.gdpo} block (defaults in reference.conf).
     *
     * @param eps added to the standard deviation, ≥ 0 (verl's GRPO epsilon 1e-6)
     * @param variance SAMPLE (like verl and TRL) or POPULATION
     * @param batchNormalize standardise the weighted sum over the batch
     */
    public record Settings(double eps, RunningStats.Variance variance, boolean batchNormalize) {
        public static Settings fromConfig(ConfigReader r) {
            r.requireOnly(Set.of("eps", "variance", "batch-normalize"));
            return new Settings(r.doubleIn("eps", 0, 1), r.enumOf("variance", RunningStats.Variance.class),
                    r.bool("batch-normalize"));
        }
    }

    private final Settings settings;

    public GdpoStrategy(Settings settings, SimplexSettings simplex, List<Objective> initial) {
        super(NAME, simplex, initial);
        this.settings = settings;
    }

    @Override
    protected WeightingResult doStep(WeightingInput input) {
        double[][] oriented = input.oriented();
        double[] w = weights.restrictedTo(input.names());
        double[][] a = new double[input.size()][w.length];
        for (int k = 0; k < w.length; k++) {
            double[] col = Scalarization.groupNormalize(Scalarization.column(oriented, k), input.groupIds(),
                    settings.variance(), settings.eps());
            for (int i = 0; i < col.length; i++) {
                a[i][k] = col[i];
            }
        }
        double[] sum = Scalarization.linear(a, w);
        double[] out = settings.batchNormalize()
                ? Scalarization.batchNormalize(sum, settings.variance(), settings.eps())
                : sum;
        return result(input, out, WeightingResult.Kind.ADVANTAGE, w, 1.0, Map.of());
    }

    @Override
    protected JsonElement extraState() {
        return null;
    }

    @Override
    protected void restoreExtra(JsonElement extra) {}
}
