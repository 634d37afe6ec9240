package troupe.core.model.scoring;

import java.util.ArrayList;
import java.util.List;

/**
 * Per-position statistics of a log-probability row (ALGORITHMS.md §1, §7), pure functions on the
 * host in double: the reference computation {@link TensorTokenStats} (native, on the NDArray) is
 * checked against. It was the scoring path until the per-token loops over the vocabulary showed
 * up as the learner's and the reference role's top Java cost.
 *
 * <ul>
 *   <li>log-prob of the chosen token: logp[y];
 *   <li>entropy H = −Σ_v p_v log p_v (= logsumexp(z) − Σ softmax(z)·z);
 *   <li>top-k mass M_k = Σ_{top-k} p (Shi et al., arXiv 2410.11677);
 *   <li>top-k entropy, renormalised: −Σ_{top-k} q log q with q = p / M_k;
 *   <li>top-k entropy, partial: −Σ_{top-k} p log p.
 * </ul>
 */
final class TokenStats {

    private TokenStats() {
    }

    /**
     * Per-token scores of responses from their logits on the host (the former scoring path).
     *
     * @param logits [B, L, V] flattened, the logit at column t predicting response token t
     * @param responses B ragged responses, each at most {@code l} tokens
     * @param temperature divides the logits (1 when they are already z/T)
     */
    static List<TokenScores> tokenScores(float[] logits, int[][] responses, int l, int v, double temperature,
            int topK) {
        List<TokenScores> out = new ArrayList<>(responses.length);
        for (int i = 0; i < responses.length; i++) {
            int n = responses[i].length;
            float[][] f = new float[5][n];
            for (int t = 0; t < n; t++) {
                double[] row = logSoftmax(logits, (i * l + t) * v, v, temperature);
                double[] k = topK(row, topK);
                f[0][t] = (float) row[responses[i][t]];
                f[1][t] = (float) entropy(row);
                f[2][t] = (float) k[0];
                f[3][t] = (float) k[1];
                f[4][t] = (float) k[2];
            }
            out.add(new TokenScores(f[0], f[1], f[2], f[3], f[4]));
        }
        return out;
    }

    /** Normalised log-probs of z/T for row z = logits[offset, offset + vocab). */
    static double[] logSoftmax(float[] logits, int offset, int vocab, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) {
            max = Math.max(max, logits[offset + i] / temperature);
        }
        double sum = 0;
        for (int i = 0; i < vocab; i++) {
            sum += Math.exp(logits[offset + i] / temperature - max);
        }
        double lse = max + Math.log(sum);
        double[] out = new double[vocab];
        for (int i = 0; i < vocab; i++) {
            out[i] = logits[offset + i] / temperature - lse;
        }
        return out;
    }

    /** H = −Σ p log p over a normalised log-prob row. */
    static double entropy(double[] logp) {
        double h = 0;
        for (double lp : logp) {
            if (lp > Double.NEGATIVE_INFINITY) {
                h -= Math.exp(lp) * lp;
            }
        }
        return h;
    }

    /**
     * Top-k mass and the two top-k entropies of a log-prob row.
     *
     * @return {M_k, H_k renormalised, H_k partial}
     */
    static double[] topK(double[] logp, int k) {
        // The k largest by insertion into a short descending array: O(V·k) at worst, ~V for a
        // peaked distribution — a full sort per token was the learner's largest Java cost.
        int n = Math.min(k, logp.length);
        double[] top = new double[n];
        int size = 0;
        for (double v : logp) {
            if (size == n && !(v > top[n - 1])) {
                continue;
            }
            int i = size < n ? size++ : n - 1;
            while (i > 0 && top[i - 1] < v) {
                top[i] = top[i - 1];
                i--;
            }
            top[i] = v;
        }
        double mass = 0;
        double partial = 0;
        for (int i = 0; i < n; i++) {
            double lp = top[i];
            double p = Math.exp(lp);
            mass += p;
            partial -= p * lp;
        }
        // −Σ (p/M) log(p/M) = (−Σ p log p)/M + log M
        double renorm = partial / mass + Math.log(mass);
        return new double[] {mass, renorm, partial};
    }
}
