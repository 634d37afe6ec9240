package troupe.core.reward;

/**
 * Welford's running mean and sum of squared deviations, with Chan et al.'s merge so that partial
 * statistics computed on several scorer nodes combine exactly (ALGORITHMS.md §6):
 *
 * <pre>
 * add x:     n += 1; d = x − mean; mean += d/n; M2 += d·(x − mean)
 * merge a,b: n = na + nb; δ = mb − ma; mean = ma + δ·nb/n; M2 = M2a + M2b + δ²·na·nb/n
 * variance:  M2/(n − 1) (sample) or M2/n (population)
 * z(x)     = (x − mean)/sqrt(var + eps)
 * </pre>
 *
 * Sources: Welford, Technometrics 4(3), 1962; Chan, Golub, LeVeque, "Updating formulae and a
 * pairwise algorithm for computing sample variances", 1979. Not thread-safe.
 */
public final class RunningStats {

    /** Which variance the z-score divides by; ALGORITHMS.md asks to decide and log both. */
    public enum Variance {
        /** M2/(n − 1), Bessel-corrected; 0 while n &lt; 2. */
        SAMPLE,
        /** M2/n; 0 while n = 0. */
        POPULATION
    }

    /**
     * Immutable statistics, e.g. shipped from a scorer node or stored in a checkpoint.
     *
     * @param count samples seen, ≥ 0
     * @param mean running mean (0 when empty)
     * @param m2 sum of squared deviations from the mean, ≥ 0
     */
    public record Snapshot(long count, double mean, double m2) {
        public static final Snapshot EMPTY = new Snapshot(0, 0, 0);
    }

    private long count;
    private double mean;
    private double m2;

    public RunningStats() {}

    public static RunningStats of(Snapshot s) {
        RunningStats r = new RunningStats();
        r.count = s.count();
        r.mean = s.mean();
        r.m2 = s.m2();
        return r;
    }

    public static RunningStats of(double... xs) {
        RunningStats r = new RunningStats();
        for (double x : xs) {
            r.add(x);
        }
        return r;
    }

    public void add(double x) {
        count++;
        double d = x - mean;
        mean += d / count;
        m2 += d * (x - mean);
    }

    /** Folds {@code other} into this accumulator (Chan's parallel update). */
    public void merge(Snapshot other) {
        if (other.count() == 0) {
            return;
        }
        long n = count + other.count();
        double delta = other.mean() - mean;
        mean += delta * other.count() / n;
        m2 += other.m2() + delta * delta * ((double) count * other.count() / n);
        count = n;
    }

    /** A new accumulator equal to having seen both streams. */
    public static RunningStats merged(RunningStats a, RunningStats b) {
        RunningStats r = of(a.snapshot());
        r.merge(b.snapshot());
        return r;
    }

    public Snapshot snapshot() {
        return new Snapshot(count, mean, m2);
    }

    public long count() {
        return count;
    }

    public double mean() {
        return mean;
    }

    public double m2() {
        return m2;
    }

    public double variance(Variance kind) {
        return switch (kind) {
            case SAMPLE -> count < 2 ? 0 : m2 / (count - 1);
            case POPULATION -> count < 1 ? 0 : m2 / count;
        };
    }

    /** (x − mean)/sqrt(var + eps). */
    public double z(double x, Variance kind, double eps) {
        return (x - mean) / Math.sqrt(variance(kind) + eps);
    }
}
