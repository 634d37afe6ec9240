package troupe.core.model.scoring;

import java.util.Arrays;

/**
 * Which rows of a step's batch get the entropy and top-k health statistics: at most {@code rows}
 * of the N, evenly spaced, row ⌊j·N/S⌋ for j = 0 … S−1 with S = min(rows, N) — every row when
 * N ≤ rows. Deterministic, so the single-pass learner step (statistics per micro-batch) and the
 * separate scoring pass (statistics per scoring chunk) pick the same rows, and the indicators
 * are token means over the same sampled rows. Evenly spaced rather than the first S: GRPO groups
 * are consecutive, so the sample spans groups instead of covering one or two prompts.
 *
 * <p>Why sample: the statistics need the whole distribution in double per token (about 1 s per
 * 16×128 tokens at vocab 8192 on one core); the health alerts only read batch means.
 */
public final class HealthSample {

    private HealthSample() {
    }

    /**
     * @param n rows in the step's batch
     * @param rows how many to sample, ≥ 1
     * @return [n], true on the sampled rows
     */
    public static boolean[] rows(int n, int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("need at least one sampled row, got " + rows);
        }
        boolean[] out = new boolean[n];
        if (n <= rows) {
            Arrays.fill(out, true);
            return out;
        }
        for (int j = 0; j < rows; j++) {
            out[(int) ((long) j * n / rows)] = true;
        }
        return out;
    }
}
