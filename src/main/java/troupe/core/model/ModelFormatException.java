package troupe.core.model;

/**
 * A model folder, file or tensor that Troupe cannot use: a missing file, an unsupported
 * {@code model_type}, a tensor with the wrong shape or dtype, a malformed header. The message
 * always names the offending file, tensor or field, and what was expected.
 */
public final class ModelFormatException extends RuntimeException {

    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
