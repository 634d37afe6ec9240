package troupe.core.algo.policy;

import ai.djl.ndarray.NDArray;
import troupe.core.algo.Masks;

/**
 * Unclipped importance-weighted policy gradient, {@code ℓ = −A·exp(logp − old)·w}. On-policy
 * (logp = old) its gradient is −A·∇logp, plain REINFORCE with the estimator's baseline; use it
 * with a single update per batch (no trust region). Shapes as {@link PpoClipLoss}.
 */
public final class PgLoss implements PolicyLoss {

    private final PolicyLossSettings settings;

    public PgLoss(PolicyLossSettings settings) {
        this.settings = settings;
    }

    @Override
    public PolicyLossResult compute(PolicyLossInput in) {
        NDArray mask = in.mask();
        NDArray logp = Masks.zeroMasked(in.logp(), mask); // [B, L]
        NDArray old = Masks.zeroMasked(in.oldLogp(), mask).stopGradient();
        NDArray adv = Masks.zeroMasked(in.advantages(), mask).stopGradient();
        NDArray ratio = logp.sub(old).clip(-settings.logRatioClamp(), settings.logRatioClamp()).exp();
        NDArray perToken = adv.neg().mul(ratio);
        if (in.isWeights() != null) {
            perToken = perToken.mul(Masks.zeroMasked(in.isWeights(), mask).stopGradient());
        }
        NDArray loss = settings.aggregation().aggregate(perToken, mask, in.totalsOrLocal());
        PolicyMetrics m = PolicyMetricsCalculator.compute(in, settings);
        return new PolicyLossResult(loss, new PolicyMetrics(0, 0, m.approxKlK1(), m.approxKlK2(), m.ratioMean(), m.tokens()));
    }
}
