package troupe.core.algo.policy;

import ai.djl.ndarray.NDArray;
import troupe.core.algo.BatchTotals;
import troupe.core.algo.FiniteChecks;
import troupe.core.algo.Masks;

/**
 * Inputs of a policy loss, all [B, L] on the step's manager.
 *
 * @param logp current-policy log-probs of the sampled tokens, with gradient
 * @param oldLogp log-probs of the policy that sampled the batch (no gradient); must be the exact
 *     behaviour distribution, same temperature (ALGORITHMS.md §9)
 * @param advantages per-token advantages (no gradient), e.g. from {@code AdvantageResult}
 * @param mask 1 for real response tokens
 * @param isWeights optional per-token importance weights (no gradient) correcting a behaviour
 *     sampler that differs from the learner, from {@link ImportanceCorrection}; null = all 1
 * @param totals denominators of the whole accumulated batch; null = this batch alone
 */
public record PolicyLossInput(NDArray logp, NDArray oldLogp, NDArray advantages, NDArray mask,
        NDArray isWeights, BatchTotals totals) {

    public PolicyLossInput {
        FiniteChecks.requireShape("oldLogp", oldLogp, logp.getShape());
        FiniteChecks.requireShape("advantages", advantages, logp.getShape());
        FiniteChecks.requireShape("mask", mask, logp.getShape());
        FiniteChecks.requireFinite("logp", logp);
        FiniteChecks.requireFinite("oldLogp", oldLogp);
        FiniteChecks.requireFinite("advantages", advantages);
        FiniteChecks.requireFinite("mask", mask);
        if (isWeights != null) {
            FiniteChecks.requireShape("isWeights", isWeights, logp.getShape());
            FiniteChecks.requireFinite("isWeights", isWeights);
        }
    }

    /** The common case: no correction weights, this batch is the whole batch. */
    public static PolicyLossInput of(NDArray logp, NDArray oldLogp, NDArray advantages, NDArray mask) {
        return new PolicyLossInput(logp, oldLogp, advantages, mask, null, null);
    }

    public PolicyLossInput withIsWeights(NDArray weights) {
        return new PolicyLossInput(logp, oldLogp, advantages, mask, weights, totals);
    }

    public PolicyLossInput withTotals(BatchTotals batchTotals) {
        return new PolicyLossInput(logp, oldLogp, advantages, mask, isWeights, batchTotals);
    }

    /** {@link #totals}, or the totals of this batch's mask. */
    public BatchTotals totalsOrLocal() {
        return totals != null ? totals : BatchTotals.of(mask);
    }

    /** r = exp(clamp(logp − old, ±clamp)) per token, 1 at padding; the gradient flows through logp only. */
    NDArray ratio(double logRatioClamp) {
        NDArray current = Masks.zeroMasked(logp, mask); // [B, L]
        NDArray old = Masks.zeroMasked(oldLogp, mask).stopGradient();
        return current.sub(old).clip(-logRatioClamp, logRatioClamp).exp();
    }

    /** The advantages at real tokens, 0 at padding, without gradient. */
    NDArray maskedAdvantages() {
        return Masks.zeroMasked(advantages, mask).stopGradient();
    }

    /** The per-token loss times the importance weights when given (no gradient), aggregated over real tokens. */
    NDArray aggregate(NDArray perToken, PolicyLossSettings settings) {
        NDArray weighted = isWeights == null ? perToken
                : perToken.mul(Masks.zeroMasked(isWeights, mask).stopGradient());
        return settings.aggregation().aggregate(weighted, mask, totalsOrLocal());
    }
}
