package troupe.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Drift of each soak series after warm-up. With n samples and w = max(1, round(0.2 n)): the
 * first w samples are warm-up (JIT, allocator arenas, PyTorch thread pools, the first
 * checkpoints: 6 minutes of a 30-minute soak sampled each minute), the next w the first window,
 * the last w the last window; drift = mean(last window) ÷ mean(first window) − 1. Whole-sample
 * windows make it independent of the sampling interval; the goal is |drift| ≤ 5%.
 *
 * @param warmup samples excluded from the start (also the width of each window)
 * @param rows one per {@link SoakSample#SERIES}
 */
public record SoakDrift(int warmup, List<Row> rows) {
    /** Fraction of the samples that is warm-up, and the width of each window. */
    public static final double WARMUP_FRACTION = 0.2;

    /** One series: the means of its two windows and their relative change (NaN when the first is 0). */
    public record Row(String label, double firstMean, double lastMean, double drift) {}

    /** The drift of every series; empty with fewer than 3 samples (warm-up, first and last window need one each). */
    public static Optional<SoakDrift> of(List<SoakSample> samples) {
        int n = samples.size();
        if (n < 3) {
            return Optional.empty();
        }
        int w = Math.max(1, (int) Math.round(WARMUP_FRACTION * n));
        List<Row> rows = new ArrayList<>();
        for (SoakSample.Series s : SoakSample.SERIES) {
            double first = mean(samples.subList(w, 2 * w), s);
            double last = mean(samples.subList(n - w, n), s);
            rows.add(new Row(s.label(), first, last, first == 0 ? Double.NaN : last / first - 1));
        }
        return Optional.of(new SoakDrift(w, rows));
    }

    private static double mean(List<SoakSample> window, SoakSample.Series s) {
        return window.stream().mapToDouble(s.value()).average().orElseThrow();
    }
}
