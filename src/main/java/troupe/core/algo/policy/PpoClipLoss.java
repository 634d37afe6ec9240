package troupe.core.algo.policy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import troupe.core.algo.Scalars;

/**
 * PPO clipped surrogate (Schulman et al., arXiv 1707.06347) with asymmetric clip (DAPO
 * clip-higher, arXiv 2503.14476) and dual-clip (Ye et al., arXiv 1912.09729); verl
 * {@code compute_policy_loss_vanilla}. Per token, with r = exp(clamp(logp − old, ±20)):
 *
 * <pre>
 * ℓ₁ = −A·r,   ℓ₂ = −A·clip(r, 1 − ε_low, 1 + ε_high),   ℓ = max(ℓ₁, ℓ₂)
 * A &lt; 0:  ℓ = min(ℓ, −A·c)                         (dual clip, c > 1)
 * ℓ ← w·ℓ                                          (optional importance weights, no gradient)
 * loss = agg(ℓ)                                    ({@link troupe.core.algo.LossAggregation})
 * </pre>
 *
 * Token table (ε = 0.2, c = 3): (A, r) = (1, 1.3) → −1.2; (−1, 0.7) → 0.8; (−1, 4.0) → 3.0;
 * (1, 0.5) → −0.5. Shapes: every input [B, L]; the loss is 0-d.
 */
public final class PpoClipLoss implements PolicyLoss {

    private final PolicyLossSettings settings;

    public PpoClipLoss(PolicyLossSettings settings) {
        this.settings = settings;
    }

    @Override
    public PolicyLossResult compute(PolicyLossInput in) {
        NDArray adv = in.maskedAdvantages();
        NDArray ratio = in.ratio(settings.logRatioClamp()); // [B, L]
        NDArray negAdv = adv.neg();
        NDArray loss1 = negAdv.mul(ratio);
        NDArray loss2 = negAdv.mul(ratio.clip(1.0 - settings.clipLow(), 1.0 + settings.clipHigh()));
        NDArray clipped = NDArrays.maximum(loss1, loss2);
        NDArray perToken = clipped;
        if (Double.isFinite(settings.dualClip())) {
            NDArray loss3 = negAdv.mul(Scalars.like(ratio, settings.dualClip()));
            NDArray dual = NDArrays.minimum(clipped, loss3);
            NDArray negative = adv.lt(Scalars.like(adv, 0.0));
            perToken = NDArrays.where(negative, dual, clipped);
        }
        NDArray loss = in.aggregate(perToken, settings);
        return new PolicyLossResult(loss, PolicyMetricsCalculator.compute(in, settings));
    }
}
