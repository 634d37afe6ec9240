package troupe.core.algo.dapo;

/**
 * DAPO soft overlong punishment (arXiv 2503.14476), added to the outcome reward:
 *
 * <pre>
 * R_len(|y|) = 0                                    |y| ≤ L_max − L_c
 *            = ((L_max − L_c) − |y|) / L_c · factor  L_max − L_c < |y| ≤ L_max
 *            = −factor                              |y| > L_max
 * </pre>
 *
 * Inside the buffer this equals verl's {@code min(−(|y| − (L_max − L_c))/L_c · factor, 0)}.
 * Example: |y| = 18432, L_max = 20480, L_c = 4096 → −0.5.
 */
public final class OverlongPenalty {

    private OverlongPenalty() {}

    /** The (non-positive) penalty for a response of {@code length} tokens; L_max resolved ({@link OverlongSettings#forLimit}). */
    public static double of(int length, OverlongSettings settings) {
        if (settings.maxLength() == 0) {
            throw new IllegalArgumentException("max-length 0 (the batch's limit) must be resolved with forLimit first");
        }
        int expected = settings.maxLength() - settings.buffer();
        if (length <= expected) {
            return 0.0;
        }
        if (length > settings.maxLength()) {
            return -settings.factor();
        }
        return (double) (expected - length) / settings.buffer() * settings.factor();
    }

    /** Penalties for a batch of response lengths. */
    public static double[] of(int[] lengths, OverlongSettings settings) {
        double[] out = new double[lengths.length];
        for (int i = 0; i < lengths.length; i++) {
            out[i] = of(lengths[i], settings);
        }
        return out;
    }
}
