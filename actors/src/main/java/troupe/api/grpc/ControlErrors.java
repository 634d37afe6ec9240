package troupe.api.grpc;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import troupe.api.ControlException;

/** Maps what a {@link troupe.api.RunControl} call failed with to the status a client sees. */
final class ControlErrors {
    private static final Logger log = LoggerFactory.getLogger(ControlErrors.class);

    private ControlErrors() {}

    static StatusException toStatus(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof ControlException c) {
            Status code = switch (c.kind()) {
                case INVALID_ARGUMENT -> Status.INVALID_ARGUMENT;
                case NOT_FOUND -> Status.NOT_FOUND;
                case ALREADY_EXISTS -> Status.ALREADY_EXISTS;
                case FAILED_PRECONDITION -> Status.FAILED_PRECONDITION;
            };
            return code.withDescription(c.getMessage()).asException();
        }
        if (t instanceof StatusRuntimeException s) {
            return s.getStatus().asException(s.getTrailers());
        }
        if (t instanceof StatusException s) {
            return s;
        }
        // Anything else is a bug or an outage in the pipeline: log it here, where the stack is.
        log.error("control call failed", t);
        return Status.INTERNAL.withDescription("internal error: " + t).withCause(t).asException();
    }
}
