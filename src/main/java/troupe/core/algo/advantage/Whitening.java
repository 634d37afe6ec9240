package troupe.core.algo.advantage;

/**
 * Masked whitening over all real tokens of the batch (verl {@code masked_whiten}):
 * {@code (x − mean) / sqrt(var_unbiased + eps)}, mean and variance over positions with mask = 1.
 * Masked positions come out as 0.
 */
public final class Whitening {

    private Whitening() {}

    /**
     * @param x [B][L]
     * @param mask [B][L]
     * @param eps added to the variance; verl 1e-8
     * @throws IllegalArgumentException with fewer than 2 real tokens (the unbiased variance is
     *     undefined; verl raises too)
     */
    public static double[][] whiten(double[][] x, double[][] mask, double eps) {
        double n = 0;
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            for (int t = 0; t < x[i].length; t++) {
                n += mask[i][t];
                sum += mask[i][t] * x[i][t];
            }
        }
        if (n < 2) {
            throw new IllegalArgumentException("whitening needs at least 2 real tokens, the batch has " + n);
        }
        double mean = sum / n;
        double ss = 0;
        for (int i = 0; i < x.length; i++) {
            for (int t = 0; t < x[i].length; t++) {
                ss += mask[i][t] * (x[i][t] - mean) * (x[i][t] - mean);
            }
        }
        double scale = 1.0 / Math.sqrt(ss / (n - 1) + eps);
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            out[i] = new double[x[i].length];
            for (int t = 0; t < x[i].length; t++) {
                out[i][t] = mask[i][t] == 0 ? 0 : (x[i][t] - mean) * scale;
            }
        }
        return out;
    }
}
