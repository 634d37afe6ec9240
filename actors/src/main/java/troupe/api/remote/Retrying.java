package troupe.api.remote;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.function.Supplier;
import troupe.core.reward.ScorerFault;

/**
 * Bounded retries with exponential backoff for calls to a remote scorer. Only UNAVAILABLE and
 * DEADLINE_EXCEEDED are retried: they are what a restarting or overloaded server answers, and
 * Score is idempotent by contract (the same batch may be sent twice). Other codes are the
 * server's considered answer and fail at once.
 */
final class Retrying {
    private Retrying() {}

    static <T> T call(String what, RemoteScorerSettings policy, Supplier<T> attempt) {
        StatusRuntimeException last = null;
        for (int i = 1; i <= policy.maxAttempts(); i++) {
            if (i > 1) {
                sleep(policy.backoffBefore(i).toMillis());
            }
            try {
                return attempt.get();
            } catch (StatusRuntimeException e) {
                last = e;
                Status.Code code = e.getStatus().getCode();
                if (code != Status.Code.UNAVAILABLE && code != Status.Code.DEADLINE_EXCEEDED) {
                    break;
                }
            }
        }
        Status.Code code = last.getStatus().getCode();
        ScorerFault.Kind kind = switch (code) {
            case DEADLINE_EXCEEDED -> ScorerFault.Kind.DEADLINE;
            case UNAVAILABLE -> ScorerFault.Kind.UNAVAILABLE;
            default -> ScorerFault.Kind.EXCEPTION;
        };
        boolean retried = kind != ScorerFault.Kind.EXCEPTION && policy.maxAttempts() > 1;
        throw new RemoteScorerException(kind,
                what + " failed" + (retried ? " after " + policy.maxAttempts() + " attempts" : "") + ": " + last.getStatus(),
                last);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteScorerException(ScorerFault.Kind.EXCEPTION, "interrupted while backing off", e);
        }
    }
}
