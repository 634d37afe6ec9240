package troupe.core.reward.rm;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/**
 * Bradley–Terry preference loss for reward models (Bradley &amp; Terry 1952; InstructGPT,
 * Ouyang et al. 2022, arXiv 2203.02155, eq. 1): with rewards r_w = r(x, y_w) of the chosen and
 * r_l = r(x, y_l) of the rejected response,
 * <pre>
 * loss = (1/N) Σ −log σ(r_w − r_l) = (1/N) Σ softplus(−(r_w − r_l))
 * </pre>
 * (softplus form: stable for large |r_w − r_l|). Worked values: margin 0 → log 2 = 0.693147,
 * margin 2 → 0.126928, margin −1 → 1.313262. Pairwise accuracy = (1/N) Σ 1[r_w &gt; r_l] (a tie
 * counts as wrong).
 */
public final class BradleyTerry {

    private BradleyTerry() {
    }

    /** Mean loss over pairs; chosen and rejected are [N] and attached to the same graph. */
    public static NDArray loss(NDArray chosen, NDArray rejected) {
        return Activation.softPlus(rejected.sub(chosen)).mean(); // softplus(−(r_w − r_l)), [N] → []
    }

    /** Fraction of pairs with r_w &gt; r_l; 0 for no pairs. */
    public static double accuracy(float[] chosen, float[] rejected) {
        if (chosen.length != rejected.length) {
            throw new IllegalArgumentException(chosen.length + " chosen rewards but " + rejected.length + " rejected");
        }
        int right = 0;
        for (int i = 0; i < chosen.length; i++) {
            right += chosen[i] > rejected[i] ? 1 : 0;
        }
        return chosen.length == 0 ? 0 : (double) right / chosen.length;
    }
}
