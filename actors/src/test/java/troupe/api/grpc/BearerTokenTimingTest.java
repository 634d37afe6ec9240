package troupe.api.grpc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The Control token compare takes as long wherever a wrong token first differs, so timing does
 * not reveal how much of a guess is right. On 1 MiB tokens an early-exit compare (Arrays.equals)
 * answers a first-byte miss ~1000x faster than a last-byte miss; the fastest of many runs is
 * compared, which load on the machine only ever slows.
 */
class BearerTokenTimingTest {
    private static final int BYTES = 1 << 20;
    /** Keeps the JIT from dropping a compare whose answer nobody reads. */
    private static volatile boolean sink;

    @Test
    void rejectingAWrongTokenTakesAsLongWhereverItDiffers() {
        byte[] expected = new byte[BYTES];
        Arrays.fill(expected, (byte) 'k');
        byte[] firstWrong = expected.clone();
        firstWrong[0] = 'x';
        byte[] lastWrong = expected.clone();
        lastWrong[BYTES - 1] = 'x';
        assertFalse(BearerTokenInterceptor.sameToken(expected, firstWrong));
        assertFalse(BearerTokenInterceptor.sameToken(expected, lastWrong));
        assertTrue(BearerTokenInterceptor.sameToken(expected, expected.clone()));
        long first = Long.MAX_VALUE;
        long last = Long.MAX_VALUE;
        for (int i = 0; i < 50; i++) {
            first = Math.min(first, time(expected, firstWrong));
            last = Math.min(last, time(expected, lastWrong));
        }
        double ratio = (double) last / first;
        assertTrue(ratio > 0.2 && ratio < 5, "first-byte miss " + first + " ns, last-byte miss " + last + " ns");
    }

    private static long time(byte[] expected, byte[] presented) {
        long t0 = System.nanoTime();
        sink = BearerTokenInterceptor.sameToken(expected, presented);
        return System.nanoTime() - t0;
    }
}
