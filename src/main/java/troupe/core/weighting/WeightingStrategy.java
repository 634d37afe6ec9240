package troupe.core.weighting;

import java.util.List;
import java.util.Map;
import troupe.core.reward.Objective;

/**
 * Turns a batch's reward vectors into one scalar per sample (ALGORITHMS.md §6). A small state
 * machine the learner calls once per step; its state (weights, buffers, accumulators) is exported
 * to and restored from a JSON string for checkpoints, and a restored strategy continues exactly
 * as the original would have.
 *
 * <p>Objectives come and go mid-run: one present in a batch but not yet tracked is added (with
 * the configured initial share, weights renormalised on the simplex); {@link #removeObjective}
 * drops one for good. An objective tracked but absent from a batch (its scorer faulted) is
 * skipped for that step only: the remaining weights are renormalised for the step, the state
 * keeps the absent objective's weight.
 *
 * <p>Not thread-safe: the learner owns one instance.
 */
public interface WeightingStrategy {

    /** Registry name, e.g. {@code "hypervolume"}. */
    String name();

    /** Tracked objectives, in the order they joined. */
    List<Objective> objectives();

    /** Current preference weights by objective name; on the simplex (non-negative, sum 1). */
    Map<String, Double> weights();

    /** Tracks a new objective at the configured {@code new-objective-share}; no-op when already tracked. */
    void addObjective(Objective objective);

    /**
     * Tracks a new objective starting at {@code share} of the simplex (the others shrink by
     * 1 − share); no-op when already tracked. A share of 0 means the configured one.
     */
    void addObjective(Objective objective, double share);

    /** Stops tracking an objective and renormalises the others; unknown names are an error. */
    void removeObjective(String name);

    /** True when {@link WeightingInput#gradientGram()} must be supplied (K extra backward passes). */
    default boolean needsGradientGram() {
        return false;
    }

    /** True when {@link WeightingInput#validation()} (held-out per-objective means) should be supplied. */
    default boolean needsValidation() {
        return false;
    }

    /** One learner step: update the state from the input, then scalarise the batch. */
    WeightingResult step(WeightingInput input);

    /** The complete state as JSON. */
    String exportState();

    /** Replaces the state with one from {@link #exportState()} of a strategy with the same name. */
    void restoreState(String json);
}
