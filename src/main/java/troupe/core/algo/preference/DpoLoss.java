package troupe.core.algo.preference;

import ai.djl.ndarray.NDArray;
import troupe.core.algo.Scalars;

/**
 * DPO (Rafailov et al., arXiv 2305.18290) and its label-smoothed form cDPO (Mitchell's note;
 * OpenRLHF {@code DPOLoss}, TRL {@code sigmoid} with {@code label_smoothing}):
 *
 * <pre>
 * dpo   ℓ = −log σ(βh)
 * cdpo  ℓ = (1 − ε)(−log σ(βh)) + ε(−log σ(−βh))
 * h = [logπ(y_w) − logπ(y_l)] − [logπ_ref(y_w) − logπ_ref(y_l)]   (summed log-probs)
 * </pre>
 *
 * Example: h = 2, β = 0.1: DPO 0.598139, cDPO(ε = 0.1) 0.618139. Shapes: inputs [N], loss 0-d mean.
 */
public final class DpoLoss implements PreferenceLoss {

    private final double beta;
    private final double labelSmoothing;
    private final String name;

    /** Plain DPO: ε = 0 whatever the settings say. */
    public static DpoLoss dpo(PreferenceSettings s) {
        return new DpoLoss(s.beta(), 0.0, "dpo");
    }

    /** cDPO with ε = {@code s.labelSmoothing()}. */
    public static DpoLoss cdpo(PreferenceSettings s) {
        return new DpoLoss(s.beta(), s.labelSmoothing(), "cdpo");
    }

    private DpoLoss(double beta, double labelSmoothing, String name) {
        this.beta = beta;
        this.labelSmoothing = labelSmoothing;
        this.name = name;
    }

    @Override
    public PreferenceLossResult compute(PreferenceBatch b) {
        NDArray logits = PreferenceMath.scale(PreferenceMath.logRatioMargin(b, name), beta); // [N]
        NDArray lossW = PreferenceMath.logSigmoid(logits).neg();
        NDArray perPair = lossW;
        if (labelSmoothing > 0) {
            NDArray lossL = PreferenceMath.logSigmoid(logits.neg()).neg();
            perPair = lossW.mul(Scalars.like(logits, 1 - labelSmoothing))
                    .add(lossL.mul(Scalars.like(logits, labelSmoothing)));
        }
        return new PreferenceLossResult(perPair.mean(), perPair, PreferenceMath.referenceMetrics(b, beta, name));
    }
}
