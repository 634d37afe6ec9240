package troupe.core.model.scoring;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import troupe.core.model.CausalLm;
import troupe.core.model.PaddedBatch;
import troupe.core.model.TensorOps;

/**
 * The learner's differentiable path: per-token log-probs and entropies attached to the autograd
 * graph for a padded batch. Call inside a {@code GradientCollector}; every array belongs to
 * {@code m}, which must stay open until backward has run.
 *
 * <p>logp[b, t] = log_softmax(z[b, P−1+t] / T)[y_{b,t}], H[b, t] = −Σ_v p log p (ALGORITHMS.md §1).
 * Padded slots hold finite values and mask 0; every reduction must weight by {@code mask}.
 *
 * @param logprobs [B, L]
 * @param entropy [B, L]
 * @param mask [B, L] 1 on real response tokens
 * @param hidden [B, L, C] final hidden states at the same columns as the logits (for a value head)
 * @param logits [B, L, V] the response columns' logits divided by the temperature (z/T), for
 *     statistics a caller takes from this same forward ({@link TensorTokenStats#scores})
 */
public record PolicyLogProbs(NDArray logprobs, NDArray entropy, NDArray mask, NDArray hidden, NDArray logits) {

    /** Forward over {@code batch} (which must have responses) at temperature {@code temperature}. */
    public static PolicyLogProbs compute(CausalLm lm, PaddedBatch batch, double temperature, NDManager m) {
        int p = batch.promptLength();
        int l = batch.responseLength();
        if (l == 0) {
            throw new IllegalArgumentException("batch has no response tokens");
        }
        CausalLm.Output out = lm.forward(batch.tokens(m), batch.positions(m), batch.mask(m), null, p - 1, p - 1 + l);
        NDArray z = out.logits().div(TensorOps.scalar(m, temperature)); // [B, L, V]
        NDArray logp = z.logSoftmax(-1); // [B, L, V]
        long[] targets = new long[batch.batch() * l];
        int s = batch.length();
        for (int i = 0; i < batch.batch(); i++) {
            System.arraycopy(batch.tokens(), i * s + p, targets, i * l, l);
        }
        NDArray index = m.create(targets, new Shape(batch.batch(), l, 1));
        NDArray tokenLogp = logp.gather(index, 2).squeeze(2); // [B, L]
        NDArray entropy = logp.exp().mul(logp).sum(new int[] {-1}).neg(); // [B, L]
        return new PolicyLogProbs(tokenLogp, entropy, batch.responseMask(m), out.hidden(), z);
    }
}
