package troupe.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a JVM that got SIGTERM alive until the command has printed its summary. The JVM halts
 * as soon as its shutdown hooks return — Pekko's runs coordinated shutdown, after which the
 * learner node's main thread is still writing its summary — so this hook waits for
 * {@link #close()}, at most {@code limit}, and records that the exit came from a signal.
 */
final class ExitHold implements AutoCloseable {
    private final CountDownLatch released = new CountDownLatch(1);
    private final Thread hook;
    private volatile boolean signalled;

    private ExitHold(Duration limit) {
        this.hook = new Thread(() -> {
            signalled = true;
            try {
                released.await(limit.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "troupe-exit-hold");
    }

    /**
     * @param limit longest the exit waits for the summary (within a pod's termination grace period)
     * @return a hold already {@link #signalled()} when the JVM is shutting down (a signal that came
     *     first), which then holds nothing
     */
    static ExitHold install(Duration limit) {
        ExitHold hold = new ExitHold(limit);
        try {
            Runtime.getRuntime().addShutdownHook(hold.hook);
        } catch (IllegalStateException shuttingDown) {
            hold.signalled = true;
        }
        return hold;
    }

    /** True once the JVM is shutting down (SIGTERM, SIGINT), before the command returned. */
    boolean signalled() {
        return signalled;
    }

    /** Lets a held exit proceed; in a JVM not shutting down, removes the hook. */
    @Override
    public void close() {
        released.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running: the count-down above releases it.
        }
    }
}
