package troupe.core.algo.preference;

import ai.djl.ndarray.NDArray;
import troupe.core.algo.Scalars;

/**
 * Robust DPO (Chowdhury et al., arXiv 2403.00409; TRL {@code robust}), an unbiased loss under
 * preference labels flipped with probability ε ∈ [0, 0.5):
 *
 * <pre>
 * ℓ = [(1 − ε)(−log σ(βh)) − ε(−log σ(−βh))] / (1 − 2ε)
 * </pre>
 *
 * Not the same as cDPO (the ε term enters with a minus sign). Example: h = 2, β = 0.1, ε = 0.1
 * → 0.573139.
 */
public final class RobustDpoLoss implements PreferenceLoss {

    private final PreferenceSettings settings;

    public RobustDpoLoss(PreferenceSettings settings) {
        this.settings = settings;
    }

    @Override
    public PreferenceLossResult compute(PreferenceBatch b) {
        double eps = settings.labelSmoothing();
        NDArray logits = PreferenceMath.scale(PreferenceMath.logRatioMargin(b, "rdpo"), settings.beta()); // [N]
        NDArray lossW = PreferenceMath.logSigmoid(logits).neg();
        NDArray lossL = PreferenceMath.logSigmoid(logits.neg()).neg();
        NDArray perPair = lossW.mul(Scalars.like(logits, 1 - eps))
                .sub(lossL.mul(Scalars.like(logits, eps)))
                .div(Scalars.like(logits, 1 - 2 * eps));
        return new PreferenceLossResult(perPair.mean(), perPair,
                PreferenceMath.referenceMetrics(b, settings.beta(), "rdpo"));
    }
}
