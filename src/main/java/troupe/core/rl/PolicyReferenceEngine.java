package troupe.core.rl;

import ai.djl.ndarray.NDManager;
import java.util.List;
import troupe.core.engine.ReferenceEngine;
import troupe.core.engine.WeightUpdate;
import troupe.core.model.GradMode;
import troupe.core.model.CausalLm;
import troupe.core.model.scoring.Scorer;
import troupe.core.rollout.RolloutBatch;
import troupe.core.rollout.Sample;

/**
 * The reference-KL role's compute: a frozen copy of the initial policy (APO: of its latest anchor,
 * {@link #loadWeights}) scoring every response
 * token, teacher-forced, at the batch's learner temperature (verl/TRL divide by T for the
 * reference too, ALGORITHMS.md §1).
 */
public final class PolicyReferenceEngine implements ReferenceEngine, AutoCloseable {
    private final CausalLm reference;
    private final NDManager manager;
    private final int microBatch;

    /** @param reference frozen model, owned (closed) by this engine */
    public PolicyReferenceEngine(CausalLm reference, NDManager manager, int microBatch) {
        this.reference = reference;
        this.manager = manager;
        this.microBatch = microBatch;
        reference.parameters().setRequiresGradient(false);
    }

    @Override
    public float[][] referenceLogprobs(RolloutBatch batch) {
        GradMode.offOnThisThread();
        List<Sample> samples = batch.samples();
        int[][] prompts = new int[samples.size()][];
        int[][] responses = new int[samples.size()][];
        for (int i = 0; i < samples.size(); i++) {
            prompts[i] = samples.get(i).promptTokens();
            responses[i] = samples.get(i).responseTokens();
        }
        return Scorer.logprobs(reference, prompts, responses, batch.sampling().learnerTemperature(), microBatch,
                manager);
    }

    /** APO's anchor: the weights are checked (checksum, names, shapes) before any is written. */
    @Override
    public void loadWeights(WeightUpdate update) {
        GradMode.offOnThisThread();
        WeightUpdates.toSnapshot(update).applyTo(reference.parameters());
    }

    /** The frozen model (tests compare replicas through it). */
    CausalLm model() {
        return reference;
    }

    @Override
    public void close() {
        reference.close();
    }
}
