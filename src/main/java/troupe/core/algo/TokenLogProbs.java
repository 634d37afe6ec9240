package troupe.core.algo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Per-token log-probabilities and entropies from logits (ALGORITHMS.md §1).
 *
 * <pre>
 * logp[i,t] = z'[i,t,y_{i,t}] − logsumexp_v z'[i,t,v],   z' = z / T
 * H[i,t]    = − Σ_v softmax(z')_v · log softmax(z')_v
 * </pre>
 *
 * The caller slices the logits so that position t predicts response token t (the logit at
 * sequence position P−1+t, verl {@code logits[:, -L-1:-1]}). Temperature T is the sampling
 * temperature; verl and TRL divide by it for the policy, the old policy and the reference
 * alike. Compute in float32 (verl: logsumexp is unstable in bf16).
 *
 * <p>Example: z = [2, 1, 0], token 0: logp = −0.407606, H = 0.832396; at T = 0.5: −0.142932
 * and 0.441057.
 */
public final class TokenLogProbs {

    private TokenLogProbs() {}

    /**
     * @param logits [B, L, V], already aligned with the response tokens
     * @param tokens [B, L] token ids (any integer type)
     * @param temperature sampling temperature T > 0
     * @return logp [B, L], differentiable in {@code logits}
     */
    public static NDArray logProbs(NDArray logits, NDArray tokens, double temperature) {
        NDArray logSoftmax = scaled(logits, temperature).logSoftmax(-1); // [B, L, V]
        NDArray index = tokens.toType(DataType.INT64, false).expandDims(-1); // [B, L, 1]
        return logSoftmax.gather(index, -1).squeeze(-1); // [B, L]
    }

    /**
     * @param logits [..., V]
     * @param temperature sampling temperature T > 0
     * @return entropy in nats [...], differentiable in {@code logits}
     */
    public static NDArray entropy(NDArray logits, double temperature) {
        NDArray logSoftmax = scaled(logits, temperature).logSoftmax(-1); // [..., V]
        return logSoftmax.exp().mul(logSoftmax).sum(new int[] {-1}).neg(); // [...]
    }

    private static NDArray scaled(NDArray logits, double temperature) {
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException("temperature must be positive and finite, got " + temperature);
        }
        FiniteChecks.requireFinite("logits", logits);
        return temperature == 1.0 ? logits : logits.div(Scalars.like(logits, temperature));
    }
}
