package troupe.core.engine;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import troupe.core.rollout.RolloutBatch;
import troupe.core.rollout.SamplingParams;

/**
 * What the generator stage asks a {@link RolloutEngine} for: one batch of {@code groupSize}
 * responses per prompt.
 *
 * @param runId run the batch belongs to
 * @param batchId unique and increasing within the run
 * @param prompts the prompts, in order; prompt j's samples get group id j
 * @param groupSize responses per prompt (G of GRPO/RLOO), ≥ 1
 * @param sampling how to sample, including this batch's seed
 */
public record RolloutRequest(
        String runId, long batchId, List<Prompt> prompts, int groupSize, SamplingParams sampling) {

    public RolloutRequest {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(sampling, "sampling");
        prompts = List.copyOf(prompts);
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("a rollout request needs at least one prompt");
        }
        if (groupSize < 1) {
            throw new IllegalArgumentException("group size must be >= 1, got " + groupSize);
        }
    }

    /** Rows of the batch the engine must return. */
    public int sampleCount() {
        return prompts.size() * groupSize;
    }

    /**
     * Why {@code batch} does not answer this request, or empty when it does. A batch that does not
     * match its request would corrupt groups or the lag check downstream.
     *
     * @param loadedVersion the version the engine held when it sampled
     */
    public Optional<String> mismatch(RolloutBatch batch, long loadedVersion) {
        return Optional.ofNullable(batch.size() != sampleCount()
                ? batch.size() + " samples for " + sampleCount() + " requested"
                : batch.batchId() != batchId ? "batch id " + batch.batchId() + " for " + batchId
                : batch.policyVersion() != loadedVersion ? "policy version " + batch.policyVersion() + " but "
                        + loadedVersion + " is loaded"
                : null);
    }
}
