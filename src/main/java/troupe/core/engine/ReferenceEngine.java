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
}
