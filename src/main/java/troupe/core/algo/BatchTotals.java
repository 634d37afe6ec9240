package troupe.core.algo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Denominators of a loss aggregation, taken over the <em>whole</em> optimisation batch.
 *
 * <p>With gradient accumulation each micro-batch must divide by the totals of the accumulated
 * batch, not by its own: a token-mean per micro-batch averaged over steps is not the global
 * token-mean (ALGORITHMS.md §0 pitfall; TRL {@code num_items_in_batch}). Compute the totals once
 * per optimiser step with {@link #of} + {@link #plus}, pass them to every micro-batch's
 * {@link LossAggregation#aggregate(NDArray, NDArray, BatchTotals)}, and the micro-batch losses
 * then <em>sum</em> to the full-batch loss.
 *
 * @param sequences B: number of sequences in the batch
 * @param tokens Σ_{i,t} mask[i,t]: number of real tokens in the batch
 * @param normLength L: the constant normaliser of the sum-norm / Dr. GRPO modes (max response
 *     length; verl's {@code loss_scale_factor})
 */
public record BatchTotals(long sequences, double tokens, long normLength) {

    public BatchTotals {
        if (sequences < 0 || tokens < 0 || normLength < 0) {
            throw new IllegalArgumentException("batch totals must be non-negative: " + sequences + ", " + tokens + ", " + normLength);
        }
    }

    /** Totals of one [B, L] mask: (B, Σ mask, L). */
    public static BatchTotals of(NDArray mask) {
        long[] shape = mask.getShape().getShape();
        double tokens;
        // copy = true: the temporary is ours to close, never the caller's mask
        try (NDArray weights = mask.toType(DataType.FLOAT64, true); NDArray sum = weights.sum()) {
            tokens = sum.getDouble();
        }
        return new BatchTotals(shape[0], tokens, shape[1]);
    }

    /** Totals of one [B][L] mask given as plain arrays. */
    public static BatchTotals of(double[][] mask) {
        double tokens = 0;
        for (double n : Masks.lengths(mask)) {
            tokens += n;
        }
        return new BatchTotals(mask.length, tokens, mask.length == 0 ? 0 : mask[0].length);
    }

    /** Totals of two micro-batches together; L is the larger of the two. */
    public BatchTotals plus(BatchTotals other) {
        return new BatchTotals(sequences + other.sequences, tokens + other.tokens,
                Math.max(normLength, other.normLength));
    }
}
