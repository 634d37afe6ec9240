package troupe.api;

import java.util.Objects;

/**
 * A steering request the run refuses. {@link RunControl} implementations complete their stage
 * exceptionally with one; the gRPC edge maps {@link #kind()} to a status code and puts
 * {@code field: message} in the status description so a client sees which argument was wrong.
 */
public final class ControlException extends RuntimeException {

    /** Why the request was refused; each maps to one gRPC status code. */
    public enum Kind {
        INVALID_ARGUMENT,
        NOT_FOUND,
        ALREADY_EXISTS,
        /** The run is in a state where the call makes no sense (e.g. resume while stopping). */
        FAILED_PRECONDITION
    }

    private final Kind kind;

    public ControlException(Kind kind, String field, String message) {
        super(field.isEmpty() ? message : field + ": " + message);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public static ControlException invalid(String field, String message) {
        return new ControlException(Kind.INVALID_ARGUMENT, field, message);
    }

    public static ControlException notFound(String field, String message) {
        return new ControlException(Kind.NOT_FOUND, field, message);
    }

    public static ControlException alreadyExists(String field, String message) {
        return new ControlException(Kind.ALREADY_EXISTS, field, message);
    }

    public static ControlException failedPrecondition(String message) {
        return new ControlException(Kind.FAILED_PRECONDITION, "", message);
    }

    public Kind kind() {
        return kind;
    }
}
