package troupe.core.model.train;

/** A malformed SFT data line; the message names the file and the 1-based line number. */
public final class SftDataException extends RuntimeException {

    public SftDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
