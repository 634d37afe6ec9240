package troupe.core.model.scoring;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-token statistics of the response columns' logits (ALGORITHMS.md §1, §7), computed on the
 * NDArray in native code and in double, so only [B, L] results reach the host:
 *
 * <ul>
 *   <li>log-prob of the chosen token: log_softmax(z/T)[y];
 *   <li>entropy H = −Σ_v p log p;
 *   <li>top-k mass M_k = Σ_{top-k} p (Shi et al., arXiv 2410.11677);
 *   <li>top-k entropy, renormalised: −Σ_{top-k} q log q with q = p / M_k (= partial/M_k + log M_k);
 *   <li>top-k entropy, partial: −Σ_{top-k} p log p.
 * </ul>
 *
 * The logits must be finite (a linear head's are). No gradient is recorded: pass detached logits.
 * Every array made here belongs to the logits' manager and is freed with it.
 */
public final class TensorTokenStats {

    private TensorTokenStats() {
    }

    /**
     * All statistics of B ragged responses.
     *
     * @param logits [B, L, V], the logit at column t predicting response token t
     * @param responses B responses, each at most L tokens
     * @param temperature divides the logits (1 when they are already z/T)
     * @param values [B, L] critic values to hand on per sample, or null
     */
    public static List<TokenScores> scores(NDArray logits, int[][] responses, double temperature, int topK,
            float[] values) {
        int b = responses.length;
        int l = Math.toIntExact(logits.getShape().get(1));
        int v = Math.toIntExact(logits.getShape().get(2));
        NDArray logp = logProbs(logits, temperature);
        NDArray chosen = logp.gather(targets(logp.getManager(), responses, b, l), 2).squeeze(2);
        NDArray entropy = logp.exp().mul(logp).sum(new int[] {-1}).neg();
        NDArray top = logp.topK(Math.min(topK, v), -1, true, true).get(0); // [B, L, k]
        NDArray topP = top.exp();
        NDArray mass = topP.sum(new int[] {-1});
        NDArray partial = topP.mul(top).sum(new int[] {-1}).neg();
        NDArray renormalised = partial.div(mass).add(mass.log());
        float[] all = NDArrays.stack(new ai.djl.ndarray.NDList(chosen, entropy, mass, renormalised, partial))
                .toType(DataType.FLOAT32, false).toFloatArray(); // [5, B, L]
        int plane = b * l;
        List<TokenScores> out = new ArrayList<>(b);
        for (int i = 0; i < b; i++) {
            int n = responses[i].length;
            float[][] fields = new float[5][n];
            for (int f = 0; f < 5; f++) {
                System.arraycopy(all, f * plane + i * l, fields[f], 0, n);
            }
            float[] critic = null;
            if (values != null) {
                critic = new float[n];
                System.arraycopy(values, i * l, critic, 0, n);
            }
            out.add(new TokenScores(fields[0], fields[1], fields[2], fields[3], fields[4], critic));
        }
        return out;
    }

    /** Only the chosen tokens' log-probs (the reference role's output), as B ragged rows. */
    public static float[][] chosenLogProbs(NDArray logits, int[][] responses, double temperature) {
        int b = responses.length;
        int l = Math.toIntExact(logits.getShape().get(1));
        NDArray logp = logProbs(logits, temperature);
        float[] all = logp.gather(targets(logp.getManager(), responses, b, l), 2)
                .toType(DataType.FLOAT32, false).toFloatArray(); // [B, L, 1]
        float[][] out = new float[b][];
        for (int i = 0; i < b; i++) {
            out[i] = java.util.Arrays.copyOfRange(all, i * l, i * l + responses[i].length);
        }
        return out;
    }

    /** log_softmax(z/T) over the vocabulary in double. */
    private static NDArray logProbs(NDArray logits, double temperature) {
        NDArray z = logits.toType(DataType.FLOAT64, false);
        if (temperature != 1) {
            z = z.div(z.getManager().create(temperature));
        }
        return z.logSoftmax(-1);
    }

    /** [B, L, 1] indices of the response tokens, 0 in padded slots (their results are dropped). */
    private static NDArray targets(NDManager m, int[][] responses, int b, int l) {
        long[] idx = new long[b * l];
        for (int i = 0; i < b; i++) {
            for (int t = 0; t < responses[i].length; t++) {
                idx[i * l + t] = responses[i][t];
            }
        }
        return m.create(idx, new Shape(b, l, 1));
    }
}
