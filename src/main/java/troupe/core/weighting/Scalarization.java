package troupe.core.weighting;

import troupe.core.reward.RunningStats;

/** Pure functions the strategies share. Shapes: N samples, K objectives. */
public final class Scalarization {

    private Scalarization() {}

    /**
     * Linear scalarisation r_i = Σ_k w_k·r_ik (ALGORITHMS.md §6; w = [0.5, 0.3, 0.2] and
     * r = [0.8, 0.2, 1.0] give 0.66).
     *
     * @param rewards [N][K], larger is better
     * @param w [K] on the simplex
     */
    public static double[] linear(double[][] rewards, double[] w) {
        double[] out = new double[rewards.length];
        for (int i = 0; i < rewards.length; i++) {
            double s = 0;
            for (int k = 0; k < w.length; k++) {
                s += w[k] * rewards[i][k];
            }
            out[i] = s;
        }
        return out;
    }

    /** Column k of [N][K]. */
    public static double[] column(double[][] m, int k) {
        double[] out = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            out[i] = m[i][k];
        }
        return out;
    }

    /**
     * Per-group standardisation (x − mean_g)/(std_g + eps) as in GRPO (arXiv 2402.03300). A group
     * of one sample has no comparison and gets 0 (verl would pass x through with std 1, which
     * would leak raw scales into a normalise-then-sum); so does a constant group when eps = 0.
     */
    public static double[] groupNormalize(double[] x, long[] groups, RunningStats.Variance variance, double eps) {
        java.util.Map<Long, RunningStats> stats = new java.util.HashMap<>();
        for (int i = 0; i < x.length; i++) {
            stats.computeIfAbsent(groups[i], g -> new RunningStats()).add(x[i]);
        }
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            RunningStats s = stats.get(groups[i]);
            double denominator = Math.sqrt(s.variance(variance)) + eps;
            out[i] = s.count() < 2 || denominator == 0 ? 0 : (x[i] - s.mean()) / denominator;
        }
        return out;
    }

    /** Whole-batch standardisation (x − mean)/(std + eps); a single sample gets 0. */
    public static double[] batchNormalize(double[] x, RunningStats.Variance variance, double eps) {
        return groupNormalize(x, new long[x.length], variance, eps);
    }

    /** softmax(z) with the max subtracted; −∞ entries get 0. */
    public static double[] softmax(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double[] out = new double[z.length];
        double sum = 0;
        for (int k = 0; k < z.length; k++) {
            out[k] = Math.exp(z[k] - max);
            sum += out[k];
        }
        for (int k = 0; k < z.length; k++) {
            out[k] /= sum;
        }
        return out;
    }
}
