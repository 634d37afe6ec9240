package troupe.core.fuzz;

import java.util.Arrays;

/**
 * The contract every fuzz target checks: code reading outside data either accepts it or throws
 * one of its documented bad-input exceptions, with a message that names the source (file, field
 * or key). Anything else (NPE, IndexOutOfBounds, NegativeArraySize, OOM, an undocumented
 * exception, a message naming nothing) is rethrown, which Jazzer reports as a finding.
 */
public final class Rejections {
    /**
     * Wall-clock ceiling of one fuzz run, a guard only: the budget is counted in inputs, passed by
     * the pom's fuzz profile as libFuzzer's {@code -runs} ({@code fuzz.runs}, 10,000 in verify),
     * because {@code @FuzzTest(maxExecutions)} would override any longer run asked for.
     */
    public static final String CEILING = "30m";

    /** Work that may reject its input. */
    @FunctionalInterface
    public interface Work {
        void run() throws Exception;
    }

    private Rejections() {}

    /**
     * Runs {@code work}; a throwable of one of {@code allowed} whose message contains
     * {@code mustName} passes, anything else propagates.
     */
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
}
