package troupe.core.algo.preference;

import ai.djl.ndarray.NDArray;
import troupe.core.algo.FiniteChecks;

/**
 * N preference pairs, each log-prob the <em>sum</em> over the response's real tokens. All [N].
 *
 * @param policyChosen Σ_t logπ(y_w), with gradient
 * @param policyRejected Σ_t logπ(y_l), with gradient
 * @param refChosen Σ_t logπ_ref(y_w); null for SimPO (reference-free)
 * @param refRejected Σ_t logπ_ref(y_l); null for SimPO
 * @param chosenLengths |y_w| in tokens (float); needed by SimPO and length-normalised IPO
 * @param rejectedLengths |y_l|
 * @param klPolicy KTO only: Σ logπ over mismatched (x, y′) pairs, [M]; null → z0 = 0
 * @param klRef KTO only: Σ logπ_ref over the same mismatched pairs, [M]
 */
public record PreferenceBatch(NDArray policyChosen, NDArray policyRejected, NDArray refChosen,
        NDArray refRejected, NDArray chosenLengths, NDArray rejectedLengths, NDArray klPolicy, NDArray klRef) {

    public PreferenceBatch {
        require("policyChosen", policyChosen, policyChosen);
        require("policyRejected", policyRejected, policyChosen);
        require("refChosen", refChosen, policyChosen);
        require("refRejected", refRejected, policyChosen);
        require("chosenLengths", chosenLengths, policyChosen);
        require("rejectedLengths", rejectedLengths, policyChosen);
        if ((klPolicy == null) != (klRef == null)) {
            throw new IllegalArgumentException("klPolicy and klRef come together");
        }
        if (klPolicy != null) {
            require("klRef", klRef, klPolicy);
            FiniteChecks.requireFinite("klPolicy", klPolicy);
        }
    }

    /** Pairs with a reference model and no lengths (DPO, cDPO, rDPO, IPO on sums, KTO). */
    public static PreferenceBatch of(NDArray policyChosen, NDArray policyRejected, NDArray refChosen, NDArray refRejected) {
        return new PreferenceBatch(policyChosen, policyRejected, refChosen, refRejected, null, null, null, null);
    }

    public PreferenceBatch withLengths(NDArray chosen, NDArray rejected) {
        return new PreferenceBatch(policyChosen, policyRejected, refChosen, refRejected, chosen, rejected, klPolicy, klRef);
    }

    public PreferenceBatch withKtoReference(NDArray mismatchedPolicy, NDArray mismatchedRef) {
        return new PreferenceBatch(policyChosen, policyRejected, refChosen, refRejected, chosenLengths,
                rejectedLengths, mismatchedPolicy, mismatchedRef);
    }

    /**
     * The same pairs with chosen and rejected exchanged (every field that has a side): the batch
     * whose loss is ℓ(−h) for a loss written in the margin h, the flipped label LCPO weighs.
     */
    public PreferenceBatch swapped() {
        return new PreferenceBatch(policyRejected, policyChosen, refRejected, refChosen, rejectedLengths,
                chosenLengths, klPolicy, klRef);
    }

    NDArray requireRefChosen(String loss) {
        return requirePresent(refChosen, loss + " needs reference log-probs");
    }

    NDArray requireRefRejected(String loss) {
        return requirePresent(refRejected, loss + " needs reference log-probs");
    }

    NDArray requireChosenLengths(String loss) {
        return requirePresent(chosenLengths, loss + " needs response lengths: withLengths(...)");
    }

    NDArray requireRejectedLengths(String loss) {
        return requirePresent(rejectedLengths, loss + " needs response lengths: withLengths(...)");
    }

    private static NDArray requirePresent(NDArray x, String message) {
        if (x == null) {
            throw new IllegalArgumentException(message);
        }
        return x;
    }

    private static void require(String name, NDArray x, NDArray like) {
        if (x != null) {
            FiniteChecks.requireShape(name, x, like.getShape());
            FiniteChecks.requireFinite(name, x);
        }
    }
}
