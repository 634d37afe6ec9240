package troupe.core.algo.preference;

import ai.djl.ndarray.NDArray;
import troupe.core.algo.Scalars;

/**
 * IPO (Azar et al., arXiv 2310.12036): {@code ℓ = (h − 1/(2τ))²} with τ = β.
 *
 * <p>Two readings of h: summed log-probs (OpenRLHF) or each log-prob divided by its response
 * length first (TRL DPO {@code ipo}, confirmed with the authors per the TRL comment); chosen by
 * {@link PreferenceSettings#ipoLengthNormalised()}. Example: policy (−10, −12), reference
 * (−11, −11), τ = 0.1: on sums (2 − 5)² = 9.0; normalised with |y_w| = 20, |y_l| = 10: 23.5225.
 */
public final class IpoLoss implements PreferenceLoss {

    private final PreferenceSettings settings;

    public IpoLoss(PreferenceSettings settings) {
        this.settings = settings;
    }

    @Override
    public PreferenceLossResult compute(PreferenceBatch b) {
        PreferenceBatch used = b;
        if (settings.ipoLengthNormalised()) {
            NDArray lw = b.requireChosenLengths("length-normalised ipo").stopGradient();
            NDArray ll = b.requireRejectedLengths("length-normalised ipo").stopGradient();
            used = PreferenceBatch.of(b.policyChosen().div(lw), b.policyRejected().div(ll),
                    b.requireRefChosen("ipo").div(lw), b.requireRefRejected("ipo").div(ll));
        }
        NDArray h = PreferenceMath.logRatioMargin(used, "ipo"); // [N]
        NDArray perPair = h.sub(Scalars.like(h, 1.0 / (2.0 * settings.beta()))).square();
        return new PreferenceLossResult(perPair.mean(), perPair,
                PreferenceMath.referenceMetrics(used, settings.beta(), "ipo"));
    }
}
