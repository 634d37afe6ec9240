package troupe.core.reward;

import java.util.List;

/**
 * One objective's scorer: a verifier, a heuristic, a learned reward model or a remote service.
 *
 * <p>Implementations must be safe to call from one thread at a time (the actor hosting a scorer
 * serialises calls). A scorer may throw or return bad values; the reward stage turns that into
 * a typed fault and quarantines the scorer — it never fails the step.
 */
public interface RewardScorer {

    /** The objective this scorer fills. */
    Objective objective();

    /**
     * Scores a batch.
     *
     * @return exactly one finite score per input, in input order, in the objective's own units
     */
    float[] score(List<ScoreInput> batch);
}
