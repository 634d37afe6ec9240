package troupe.core.engine;

import troupe.core.rollout.RolloutBatch;

/**
 * The generator's compute: a policy replica and its sampler (ALGORITHMS.md §9). Owned by one
 * Generator actor, which calls it from one thread at a time and applies weight updates only
 * between batches, never while {@link #generate} runs.
 */
public interface RolloutEngine {

    /**
     * Samples {@code request.groupSize()} responses per prompt with the weights currently loaded.
     *
     * <p>The result is {@link RolloutBatch#sampled}: {@code request.sampleCount()} samples, the
     * G samples of prompt j contiguous with group id j, behaviour log-probs under the exact
     * distribution sampled from, untruncated log-probs at the learner temperature, and
     * {@code policyVersion()} as the batch's policy version.
     *
     * @throws RuntimeException when sampling fails; the actor reports the batch as lost and
     *     the engine must still accept the next call
     */
    RolloutBatch generate(RolloutRequest request);

    /**
     * Loads the weights of {@code update}; afterwards {@link #policyVersion()} is
     * {@code update.version()}. The caller has checked {@link WeightUpdate#intact()} and that the
     * version is newer than the loaded one.
     *
     * @throws RuntimeException when the payload cannot be decoded; the loaded weights must then be
     *     left unchanged
     */
    void applyWeights(WeightUpdate update);

    /** Version of the weights currently loaded, ≥ 0. Survives a restart of the owning actor. */
    long policyVersion();
}
