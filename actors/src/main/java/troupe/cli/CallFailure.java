package troupe.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import troupe.api.HostPort;

/**
 * One line for a failed gRPC call from the CLI. gRPC reports a refused connection as
 * {@code UNAVAILABLE: io exception}; the user needs the address that could not be reached and
 * why (the innermost cause: "Connection refused", "No route to host", a TLS failure).
 */
final class CallFailure {

    private CallFailure() {
    }

    static String describe(HostPort address, StatusRuntimeException e) {
        Status s = e.getStatus();
        if (s.getCode() == Status.Code.UNAVAILABLE) {
            String why = s.getCause() != null ? rootMessage(s.getCause()) : s.getDescription();
            return "cannot reach " + address + " (UNAVAILABLE" + (why == null ? "" : ": " + why) + ")";
        }
        String why = (s.getDescription() == null ? "" : s.getDescription())
                + (s.getCause() == null ? "" : " (" + rootMessage(s.getCause()) + ")");
        return address + ": " + s.getCode() + (why.isEmpty() ? "" : ": " + why);
    }

    private static String rootMessage(Throwable t) {
        if (t == null) {
            return null;
        }
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        // Netty's native transport says "finishConnect(..) failed with error(-111): Connection refused".
        return UserErrors.oneLine(m).replaceFirst("^finishConnect\\(\\.\\.\\) failed(?: with error\\(-?\\d+\\))?: ", "");
    }
}
