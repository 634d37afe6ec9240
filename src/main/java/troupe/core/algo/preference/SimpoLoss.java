package troupe.core.algo.preference;

import ai.djl.ndarray.NDArray;
import troupe.core.algo.Scalars;

/**
 * SimPO (Meng et al., arXiv 2405.14734), reference-free with a target margin γ:
 *
 * <pre>
 * ℓ = −log σ(β·[logπ(y_w)/|y_w| − logπ(y_l)/|y_l|] − γ)
 * </pre>
 *
 * TRL CPO defaults β = 0.1, γ = 0.5. Example: (−10, −12), lengths (20, 10), β = 2, γ = 1:
 * argument 0.4, loss 0.513015. Needs lengths; reference log-probs are ignored.
 */
public final class SimpoLoss implements PreferenceLoss {

    private final PreferenceSettings settings;

    public SimpoLoss(PreferenceSettings settings) {
        this.settings = settings;
    }

    @Override
    public PreferenceLossResult compute(PreferenceBatch b) {
        NDArray chosen = b.policyChosen().div(b.requireChosenLengths("simpo").stopGradient()); // [N]
        NDArray rejected = b.policyRejected().div(b.requireRejectedLengths("simpo").stopGradient());
        NDArray logits = PreferenceMath.scale(chosen.sub(rejected), settings.beta())
                .sub(Scalars.like(chosen, settings.simpoGamma()));
        NDArray perPair = PreferenceMath.logSigmoid(logits).neg();
        return new PreferenceLossResult(perPair.mean(), perPair,
                PreferenceMath.metrics(chosen, rejected, settings.beta()));
    }
}
