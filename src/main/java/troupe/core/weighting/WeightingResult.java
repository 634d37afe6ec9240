package troupe.core.weighting;

import java.util.Map;

/**
 * A strategy's answer for one step.
 *
 * @param rewards one scalar per sample [N], larger is better
 * @param kind whether {@code rewards} still needs the learner's advantage estimator
 * @param weights the strategy's weights after the step, every tracked objective (sum 1)
 * @param effectiveWeights the weights that produced {@code rewards}: the batch's objectives only,
 *     renormalised when some tracked objective was absent
 * @param multiplier global reward scale m (hypervolume-guided); 1 for the others
 * @param diagnostics named numbers for the learner event, e.g. {@code hv.delta}
 */
public record WeightingResult(double[] rewards, Kind kind, Map<String, Double> weights,
        Map<String, Double> effectiveWeights, double multiplier, Map<String, Double> diagnostics) {

    public enum Kind {
        /** A scalar reward: the learner applies its advantage estimator (GRPO, RLOO, ...). */
        REWARD,
        /** Already an advantage (GDPO normalise-then-sum): use as is. */
        ADVANTAGE
    }

    public WeightingResult {
        weights = Map.copyOf(weights);
        effectiveWeights = Map.copyOf(effectiveWeights);
        diagnostics = Map.copyOf(diagnostics);
    }
}
