package troupe.core.model;

/** Lets tests in other packages reuse the weight perturbation of {@link ReferenceForwardTest}. */
public final class ReferenceForwardTestSupport {

    private ReferenceForwardTestSupport() {
    }

    /** Perturbs norms and scales matrices ×10 so logits are O(1) and argmax is well separated. */
    public static void scaleUp(CausalLm lm) {
        ReferenceForwardTest.randomiseNorms(lm, 1);
    }
}
