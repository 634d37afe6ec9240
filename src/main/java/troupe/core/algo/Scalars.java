package troupe.core.algo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * Scalar constants as tensors owned by the step's {@link NDManager}.
 *
 * <p>Why: in DJL 0.36, {@code x.mul(2f)} builds a temporary tensor over a Java buffer that the
 * garbage collector may free before backward reads it, which gives random NaN gradients
 * (shared/VERSIONS.md, "DJL pitfalls"). A constant made here lives until the manager of
 * {@code like} is closed, i.e. past backward.
 */
public final class Scalars {

    private Scalars() {}

    /** A 0-d tensor holding {@code value}, with the data type and manager of {@code like}. */
    public static NDArray like(NDArray like, double value) {
        NDManager manager = like.getManager();
        DataType type = like.getDataType().isFloating() ? like.getDataType() : DataType.FLOAT32;
        // Created as float64 and cast, so 0.2 is 0.2 in a float64 graph and the nearest float32 in float32.
        NDArray exact = manager.create(value);
        if (type == DataType.FLOAT64) {
            return exact;
        }
        NDArray cast = exact.toType(type, false);
        exact.close();
        return cast;
    }

    /** Reads a 0-d (or one-element) tensor of any floating type as a double; a CPU-GPU sync point. */
    public static double value(NDArray scalar) {
        try (NDArray asDouble = scalar.toType(DataType.FLOAT64, true)) {
            return asDouble.toDoubleArray()[0];
        }
    }
}
