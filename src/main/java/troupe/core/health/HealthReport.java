package troupe.core.health;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Over-optimisation and health indicators of one step (ALGORITHMS.md §7). NaN where the input
 * needed was not supplied (e.g. no reference log-probs, no per-token top-k values).
 *
 * @param topKMass token-mean of M_k
 * @param topKEntropyRenormalised token-mean of the renormalised top-k entropy, nats
 * @param topKEntropyPartial token-mean of the partial top-k entropy, nats
 * @param sequenceKl batch mean of the sequence-level KL(π‖π_ref) (k1 sum over tokens), nats
 * @param klBudget d = sqrt(max(sequenceKl, 0))
 * @param meanLength mean response length in counted tokens (mask, EOS included)
 * @param lengthDrift meanLength − the reference policy's mean length
 * @param lengthRatio meanLength / the reference policy's mean length
 * @param rewardLengthCorrelation Pearson correlation of the scalar reward with length
 * @param truncationRate fraction of responses that hit the length limit without EOS
 * @param zeroVarianceGroupFraction fraction of groups whose rewards are all equal (no GRPO signal)
 */
public record HealthReport(double topKMass, double topKEntropyRenormalised, double topKEntropyPartial,
        double sequenceKl, double klBudget, double meanLength, double lengthDrift, double lengthRatio,
        double rewardLengthCorrelation, double truncationRate, double zeroVarianceGroupFraction) {

    /** Metric names as they appear in the learner event. */
    public Map<String, Double> toMetrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("health.topk_mass", topKMass);
        m.put("health.topk_entropy_renorm", topKEntropyRenormalised);
        m.put("health.topk_entropy_partial", topKEntropyPartial);
        m.put("health.kl_seq", sequenceKl);
        m.put("health.kl_budget", klBudget);
        m.put("health.length_mean", meanLength);
        m.put("health.length_drift", lengthDrift);
        m.put("health.length_ratio", lengthRatio);
        m.put("health.reward_length_corr", rewardLengthCorrelation);
        m.put("health.truncation_rate", truncationRate);
        m.put("health.zero_var_groups", zeroVarianceGroupFraction);
        return m;
    }
}
