package troupe.core.algo.policy;

import ai.djl.ndarray.NDArray;
import troupe.core.algo.BatchTotals;
import troupe.core.algo.FiniteChecks;
import troupe.core.algo.LossAggregation;
import troupe.core.algo.Scalars;

/**
 * Entropy bonus (ALGORITHMS.md §1): {@code loss_H = −c · agg(H)}, added to the total loss so
 * that minimising it raises entropy. H per token from
 * {@link troupe.core.algo.TokenLogProbs#entropy}. verl and TRL default c = 0.
 */
public final class EntropyBonus {

    private EntropyBonus() {}

    /**
     * @param entropy [B, L] per-token entropy (with gradient)
     * @param mask [B, L]
     * @param coef c ≥ 0
     * @return 0-d loss term −c·agg(H)
     */
    public static NDArray loss(NDArray entropy, NDArray mask, double coef, LossAggregation aggregation,
            BatchTotals totals) {
        FiniteChecks.requireFinite("entropy", entropy);
        NDArray agg = aggregation.aggregate(entropy, mask, totals == null ? BatchTotals.of(mask) : totals);
        return agg.mul(Scalars.like(entropy, -coef));
    }
}
