package troupe.core.model.scoring;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import troupe.core.algo.TokenLogProbs;
import troupe.core.model.CausalLm;
import troupe.core.model.PaddedBatch;
import troupe.core.model.TensorOps;

/**
 * The learner's differentiable path: per-token log-probs attached to the autograd graph for a
 * padded batch, and the entropy when a loss asks for it. Call inside a {@code GradientCollector};
 * every array belongs to {@code m}, which must stay open until backward has run.
 *
 * <p>logp[b, t] = log_softmax(z[b, P−1+t] / T)[y_{b,t}], H[b, t] = −Σ_v p log p (ALGORITHMS.md §1).
 * Padded slots hold finite values and mask 0; every reduction must weight by {@code mask}.
 *
 * <p>Cost: the logits and their log-softmax are the only [B, L, V] tensors of a step that needs
 * only the log-probs (the entropy used to be computed every time: two more [B, L, V] tensors and
 * their backward). Health statistics read the detached {@link #logits} on a sample of rows
 * ({@link TensorTokenStats#health}).
 */
public final class PolicyLogProbs {
    private final TokenLogProbs.Gathered gathered;
    private final NDArray mask;
    private final NDArray hidden;
    private final NDArray logits;
    private NDArray entropy;

    private PolicyLogProbs(TokenLogProbs.Gathered gathered, NDArray mask, NDArray hidden, NDArray logits) {
        this.gathered = gathered;
        this.mask = mask;
        this.hidden = hidden;
        this.logits = logits;
    }

    /** Forward over {@code batch} (which must have responses) at temperature {@code temperature}. */
    public static PolicyLogProbs compute(CausalLm lm, PaddedBatch batch, double temperature, NDManager m) {
        int p = batch.promptLength();
        int l = batch.responseLength();
        if (l == 0) {
            throw new IllegalArgumentException("batch has no response tokens");
        }
        CausalLm.Output out = lm.forward(batch.tokens(m), batch.positions(m), batch.mask(m), null, p - 1, p - 1 + l);
        NDArray z = out.logits(); // [B, L, V], a fresh tensor: divided in place (verl: logits.div_(temperature))
        if (temperature != 1) {
            z = z.divi(TensorOps.scalar(m, temperature));
        }
        long[] targets = new long[batch.batch() * l];
        int s = batch.length();
        for (int i = 0; i < batch.batch(); i++) {
            System.arraycopy(batch.tokens(), i * s + p, targets, i * l, l);
        }
        NDArray index = m.create(targets, new Shape(batch.batch(), l, 1));
        return new PolicyLogProbs(TokenLogProbs.gathered(z, index), batch.responseMask(m), out.hidden(), z);
    }

    /** [B, L] log-probs of the response tokens, differentiable. */
    public NDArray logprobs() {
        return gathered.logprobs();
    }

    /**
     * [B, L] entropy, differentiable; computed on the first call (two [B, L, V] temporaries), so
     * only a loss with an entropy term pays for it.
     */
    public NDArray entropy() {
        if (entropy == null) {
            entropy = gathered.entropy();
        }
        return entropy;
    }

    /** [B, L] 1 on real response tokens. */
    public NDArray mask() {
        return mask;
    }

    /** [B, L, C] final hidden states at the same columns as the logits (for a value head). */
    public NDArray hidden() {
        return hidden;
    }

    /** [B, L, V] the response columns' logits divided by the temperature (z/T), for this forward's statistics. */
    public NDArray logits() {
        return logits;
    }
}
