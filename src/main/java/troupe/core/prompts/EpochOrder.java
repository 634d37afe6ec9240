package troupe.core.prompts;

import java.util.SplittableRandom;

/**
 * The order a prompt source visits its pool in during one epoch: a Fisher–Yates shuffle from
 * {@code SplittableRandom(seed · 0x9E3779B97F4A7C15 + epoch)}, so any epoch's order follows from
 * the run seed alone and a resumed run can seek straight to it.
 */
public final class EpochOrder {

    private EpochOrder() {
    }

    /** The visiting order of {@code n} prompts in {@code epoch}. */
    public static int[] of(long seed, long epoch, int n) {
        return permutation(n, new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch));
    }

    /** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
    public static int[] permutation(int n, SplittableRandom rng) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
