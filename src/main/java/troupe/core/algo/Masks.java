package troupe.core.algo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;

/**
 * Response-mask helpers. {@code mask[i,t]} is 1 for real response tokens including EOS and 0
 * for padding (ALGORITHMS.md §0).
 *
 * <p>Losses zero the <em>inputs</em> at masked positions before any non-linear op, not just the
 * outputs: padding may hold sentinels (TRL's {@code INVALID_LOGPROB}) or garbage, and
 * {@code 0 · exp(garbage)} or a zero upstream gradient times an infinite local derivative would
 * still produce NaN. After {@link #zeroMasked} masked positions contribute exactly 0 to the loss
 * and to every gradient.
 */
public final class Masks {

    private Masks() {}

    /** The mask as a boolean tensor, true where the token is real. */
    public static NDArray asBoolean(NDArray mask) {
        return mask.getDataType() == DataType.BOOLEAN ? mask : mask.toType(DataType.BOOLEAN, false);
    }

    /** The mask as 0/1 in the data type of {@code like}, for products and sums. */
    public static NDArray asWeights(NDArray mask, NDArray like) {
        DataType type = like.getDataType().isFloating() ? like.getDataType() : DataType.FLOAT32;
        NDArray bool = asBoolean(mask);
        return bool.toType(type, false);
    }

    /** {@code x} with every masked position replaced by 0 (gradient to those positions is 0). */
    public static NDArray zeroMasked(NDArray x, NDArray mask) {
        return NDArrays.where(asBoolean(mask), x, x.zerosLike());
    }

    /** Number of real tokens per row: n_i = Σ_t mask[i,t]. */
    public static double[] lengths(double[][] mask) {
        double[] n = new double[mask.length];
        for (int i = 0; i < mask.length; i++) {
            for (double m : mask[i]) {
                n[i] += m;
            }
        }
        return n;
    }
}
