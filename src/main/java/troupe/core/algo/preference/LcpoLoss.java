package troupe.core.algo.preference;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import troupe.core.algo.Scalars;

/**
 * LCPO (Cao et al., arXiv 2509.24159, renamed RE-PO in v3; ALGORITHMS.md §10): preference labels
 * that are right with prior 1 − ε, trained by EM around any pairwise loss ℓ of the family.
 *
 * <pre>
 * P(h) = e^{−ℓ(h)} / (e^{−ℓ(h)} + e^{−ℓ(−h)}) = σ(ℓ(−h) − ℓ(h))        model's belief the label is right
 * E-step  w = (1 − ε)P / ((1 − ε)P + ε(1 − P)) = σ(logit P + log((1 − ε)/ε)),  no gradient
 * M-step  L = w·softplus(ℓ(h) − ℓ(−h)) + (1 − w)·softplus(ℓ(−h) − ℓ(h))     = −[w log P + (1 − w) log(1 − P)]
 * </pre>
 *
 * ℓ(−h) is the wrapped loss on the pair with chosen and rejected exchanged ({@link
 * PreferenceBatch#swapped}): exactly ℓ at −h for DPO, cDPO and IPO; for SimPO the target margin γ
 * stays on the new chosen side (the loss of the flipped label as SimPO itself would write it).
 * For DPO L = w·ℓ(h) + (1 − w)·ℓ(−h); for IPO it is not (§10's example: 0.352532, not 24.54).
 * ε = 0 gives w = 1 and L = softplus(ℓ(h) − ℓ(−h)), which for DPO is DPO itself. KTO is not a
 * pairwise loss (its per-example losses are [2N]) and is refused.
 *
 * <p>Examples (unit tests): DPO, βh = 0.8, ε = 0.1 → w 0.952449, L 0.409142; IPO τ = 0.1 on
 * sums, h = 0.05, ε = 0.1 → P 0.731059, w 0.960730, L 0.352532.
 */
public final class LcpoLoss {

    private final PreferenceLoss inner;
    private final String innerName;

    /**
     * @param inner a registered pairwise loss, built from {@code settings}
     * @param innerName its registry name, for errors and metrics
     */
    public LcpoLoss(PreferenceLoss inner, String innerName) {
        if ("kto".equals(innerName)) {
            throw new IllegalArgumentException("lcpo wraps a pairwise preference loss; kto scores single responses");
        }
        this.inner = inner;
        this.innerName = innerName;
    }

    /**
     * @param loss mean of {@code perPair}, 0-d, differentiable
     * @param perPair L per pair, [N]
     * @param weights the E-step weights w, [N], detached
     * @param labelRight P(h) per pair, [N], detached
     * @param metrics the wrapped loss's implicit-reward metrics on the pairs as labelled
     */
    public record Result(NDArray loss, NDArray perPair, NDArray weights, NDArray labelRight,
            PreferenceMetrics metrics) {}

    /** One batch's M-step loss at label-noise rate {@code epsilon} ∈ [0, 1). */
    public Result compute(PreferenceBatch b, double epsilon) {
        if (!(epsilon >= 0 && epsilon < 1)) {
            throw new IllegalArgumentException("lcpo epsilon must lie in [0, 1), got " + epsilon);
        }
        PreferenceLossResult right = inner.compute(b);
        NDArray lossRight = right.perExample(); // ℓ(h), [N]
        NDArray lossFlipped = inner.compute(b.swapped()).perExample(); // ℓ(−h), [N]
        if (!lossRight.getShape().equals(b.policyChosen().getShape())) {
            throw new IllegalArgumentException(innerName + " gives " + lossRight.getShape() + " losses for "
                    + b.policyChosen().getShape() + " pairs: lcpo needs one per pair");
        }
        NDArray d = lossRight.sub(lossFlipped); // ℓ(h) − ℓ(−h) = −logit P
        NDArray logitP = d.stopGradient().neg();
        NDArray w = epsilon == 0
                ? logitP.onesLike()
                : Activation.sigmoid(logitP.add(Scalars.like(d, Math.log((1 - epsilon) / epsilon))));
        NDArray perPair = w.mul(Activation.softPlus(d)).add(w.neg().add(Scalars.like(d, 1.0))
                .mul(Activation.softPlus(d.neg())));
        return new Result(perPair.mean(), perPair, w, Activation.sigmoid(logitP), right.metrics());
    }

    /**
     * η = 1 − ε after a batch whose E-step weights average {@code meanWeight}: the EMA
     * η ← decay·η + (1 − decay)·mean w (the paper's decay 0.9, from η₀ = 0.9).
     */
    public static double nextEta(double eta, double meanWeight, double decay) {
        return decay * eta + (1 - decay) * meanWeight;
    }
}
