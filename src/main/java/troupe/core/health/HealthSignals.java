package troupe.core.health;

import java.util.List;

/**
 * What the health rules read of one step: a few numbers of the learner's event. NaN where the
 * step did not measure it (no reference log-probs, no top-k sample); a rule skips a NaN reading.
 *
 * @param step 1-based optimisation step
 * @param entropy token-mean policy entropy at the learner temperature, nats
 * @param topKMass token-mean probability mass of the top-k tokens, [0, 1]
 * @param klBudget sqrt of the batch-mean sequence KL(π‖π_ref), sqrt-nats
 * @param meanLength mean response length, tokens (EOS included)
 * @param referenceLength the reference policy's mean response length, tokens; NaN or 0 = unknown
 * @param objectives per-objective raw means of the batch, in the run's objective order
 */
public record HealthSignals(long step, double entropy, double topKMass, double klBudget, double meanLength,
        double referenceLength, List<Objective> objectives) {

    public HealthSignals {
        objectives = List.copyOf(objectives);
    }

    /**
     * @param maximize whether a higher raw score is better
     * @param rawMean batch mean of the raw scores
     * @param rawStd population std of the raw scores over the batch, ≥ 0
     */
    public record Objective(String name, boolean maximize, double rawMean, double rawStd) {}
}
