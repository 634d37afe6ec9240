package troupe.core.checkpoint;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Test hook for crash-consistency tests: the writers of checkpoints and model exports pass
 * numbered points; with {@code -Dtroupe.crash-point=K} the K-th point reached prints
 * {@code AT K <label>} on stdout and blocks, so a parent process can SIGKILL the JVM exactly
 * there; with {@code K = 0} every point prints {@code POINT k <label>} and the write goes on (the
 * parent counts them). Without the property a point costs one static field read.
 */
public final class CrashPoints {
    /** Target point; -1 off, 0 list every point. */
    private static final long TARGET = Long.getLong("troupe.crash-point", -1);
    private static final AtomicLong REACHED = new AtomicLong();

    private CrashPoints() {}

    /** True when a crash test drives this JVM (writers then slice large writes into many points). */
    public static boolean enabled() {
        return TARGET >= 0;
    }

    /** Passes point {@code label}; blocks forever when it is the targeted one. */
    public static void reach(String label) {
        if (TARGET < 0) {
            return;
        }
        long k = REACHED.incrementAndGet();
        if (TARGET == 0) {
            System.out.println("POINT " + k + " " + label);
            System.out.flush();
        } else if (k == TARGET) {
            System.out.println("AT " + k + " " + label);
            System.out.flush();
            while (true) {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("crash point " + k + " interrupted", e);
                }
            }
        }
    }
}
