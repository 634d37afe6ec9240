package troupe.core.algo.kl;

import ai.djl.ndarray.NDArray;
import troupe.core.algo.BatchTotals;
import troupe.core.algo.FiniteChecks;
import troupe.core.algo.LossAggregation;
import troupe.core.algo.Masks;
import troupe.core.algo.Scalars;

/**
 * KL to the reference as a <em>loss term</em> with gradient (GRPO, arXiv 2402.03300; verl
 * {@code use_kl_loss}): {@code loss_kl = β · agg(kl[i,t])} on current-policy log-probs.
 *
 * <p>Use k3 (or k2), not k1: the pathwise gradient of k1 is ∇logπ, whose on-policy expectation is
 * zero, so a k1 loss term does nothing on average (ALGORITHMS.md §2).
 */
public final class KlLoss {

    private KlLoss() {}

    /**
     * @param loss β·agg(kl), 0-d, add it to the policy loss
     * @param meanKl agg(kl) without β (this micro-batch's share when totals are global)
     */
    public record Result(NDArray loss, double meanKl) {}

    /**
     * @param logp [B, L] current-policy log-probs (with gradient)
     * @param ref [B, L] reference log-probs (no gradient)
     * @param mask [B, L]
     * @param settings its {@code lossEstimator} and clamps
     * @param beta β, the KL controller's coefficient
     * @param aggregation same mode as the policy loss
     * @param totals denominators of the whole accumulated batch
     */
    public static Result compute(NDArray logp, NDArray ref, NDArray mask, KlSettings settings, double beta,
            LossAggregation aggregation, BatchTotals totals) {
        FiniteChecks.requireShape("ref", ref, logp.getShape());
        FiniteChecks.requireFinite("logp", logp);
        FiniteChecks.requireFinite("ref", ref);
        KlEstimator estimator = settings.lossKl();
        NDArray kl = estimator.estimate(Masks.zeroMasked(logp, mask), Masks.zeroMasked(ref, mask));
        NDArray agg = aggregation.aggregate(kl, mask, totals);
        double mean = Scalars.value(agg);
        return new Result(agg.mul(Scalars.like(logp, beta)), mean);
    }
}
