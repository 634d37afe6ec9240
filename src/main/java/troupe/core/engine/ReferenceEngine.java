package troupe.core.engine;

import troupe.core.rollout.RolloutBatch;

/** The frozen reference policy: teacher-forced log-probs of sampled responses (ALGORITHMS.md §1–2). */
public interface ReferenceEngine {

    /**
     * Log-probs under the reference policy, at the learner temperature of
     * {@code batch.sampling()}.
     *
     * @return {@code [batch.size()][responseTokens.length of sample i]}: one row per sample, one
     *     natural-log probability (≤ 0) per response token
     */
    float[][] referenceLogprobs(RolloutBatch batch);

    /**
     * Replaces the reference weights (APO's anchor, {@link LearnerEngine#takeReferenceUpdate});
     * later batches are scored by them. The caller has checked {@link WeightUpdate#intact()}.
     *
     * @throws UnsupportedOperationException when this reference cannot change
     */
    default void loadWeights(WeightUpdate update) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot load new reference weights");
    }
}
