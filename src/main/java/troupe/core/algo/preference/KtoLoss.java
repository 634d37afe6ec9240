package troupe.core.algo.preference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.nn.Activation;
import troupe.core.algo.Scalars;

/**
 * KTO (Ethayarajh et al., arXiv 2402.01306; TRL {@code KTOTrainer}), on a paired batch read as
 * chosen = desirable, rejected = undesirable. With logratio = logπ(y) − logπ_ref(y) (sums):
 *
 * <pre>
 * z0 = max(0, mean(logπ(y′) − logπ_ref(y′)))   over mismatched (x, y′), detached; 0 if not given
 * desirable    ℓ = λ_D·(1 − σ(β(logratio − z0)))
 * undesirable  ℓ = λ_U·(1 − σ(β(z0 − logratio)))
 * loss = mean over all 2N examples
 * </pre>
 *
 * Defaults (TRL): β = 0.1, λ_D = λ_U = 1.
 */
public final class KtoLoss implements PreferenceLoss {

    private final PreferenceSettings settings;

    public KtoLoss(PreferenceSettings settings) {
        this.settings = settings;
    }

    @Override
    public PreferenceLossResult compute(PreferenceBatch b) {
        NDArray chosen = b.policyChosen().sub(b.requireRefChosen("kto").stopGradient()); // [N]
        NDArray rejected = b.policyRejected().sub(b.requireRefRejected("kto").stopGradient());
        NDArray z0 = b.klPolicy() == null
                ? Scalars.like(chosen, 0.0)
                : b.klPolicy().sub(b.klRef()).mean().stopGradient().clip(0.0, Double.MAX_VALUE);
        NDArray desirable = oneMinusSigmoid(PreferenceMath.scale(chosen.sub(z0), settings.beta()))
                .mul(Scalars.like(chosen, settings.ktoDesirableWeight()));
        NDArray undesirable = oneMinusSigmoid(PreferenceMath.scale(z0.sub(rejected), settings.beta()))
                .mul(Scalars.like(chosen, settings.ktoUndesirableWeight()));
        NDArray perExample = NDArrays.concat(new ai.djl.ndarray.NDList(desirable, undesirable)); // [2N]
        return new PreferenceLossResult(perExample.mean(), perExample,
                PreferenceMath.metrics(chosen, rejected, settings.beta()));
    }

    /** 1 − σ(x) = σ(−x). */
    private static NDArray oneMinusSigmoid(NDArray x) {
        return Activation.sigmoid(x.neg());
    }
}
