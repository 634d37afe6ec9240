package troupe.fuzz;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Arrays;
import java.util.Set;

/**
 * The contract every fuzz target of this module checks (troupe-core has the same for files):
 * code reading outside data accepts it or throws one of its documented bad-input exceptions,
 * with a message naming the source; a gRPC endpoint answers OK or one of the documented status
 * codes with a description. Anything else is rethrown, which Jazzer reports as a finding.
 */
public final class Rejections {
    /**
     * Wall-clock ceiling of one fuzz run, a guard only: the budget is counted in inputs, passed by
     * the pom's fuzz profile as libFuzzer's {@code -runs} ({@code fuzz.runs}, 10,000 in verify).
     */
    public static final String CEILING = "30m";

    /** Work that may reject its input. */
    @FunctionalInterface
    public interface Work {
        void run() throws Exception;
    }

    private Rejections() {}

    /** A throwable of one of {@code allowed} whose message contains {@code mustName} passes. */
    @SafeVarargs
    public static void expectOnly(String mustName, Work work, Class<? extends Throwable>... allowed) throws Throwable {
        try {
            work.run();
        } catch (Throwable t) {
            if (Arrays.stream(allowed).noneMatch(c -> c.isInstance(t))) {
                throw t;
            }
            String m = t.getMessage();
            if (m == null || !m.contains(mustName)) {
                throw new AssertionError("rejection does not name " + mustName + ": " + t, t);
            }
        }
    }

    /** A call that succeeds or fails with one of {@code codes} and a description. */
    public static void expectStatus(Work call, Set<Status.Code> codes) throws Throwable {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            Status s = e.getStatus();
            if (!codes.contains(s.getCode()) || s.getDescription() == null || s.getDescription().isBlank()) {
                throw new AssertionError("undocumented answer " + s, e);
            }
        }
    }
}
