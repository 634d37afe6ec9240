package troupe.core.algo.policy;

import ai.djl.ndarray.NDArray;

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
        NDArray perToken = in.maskedAdvantages().neg().mul(in.ratio(settings.logRatioClamp()));
        NDArray loss = in.aggregate(perToken, settings);
        PolicyMetrics m = PolicyMetricsCalculator.compute(in, settings);
        return new PolicyLossResult(loss, new PolicyMetrics(0, 0, m.approxKlK1(), m.approxKlK2(), m.ratioMean(), m.tokens()));
    }
}
