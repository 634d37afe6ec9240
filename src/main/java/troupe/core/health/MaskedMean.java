package troupe.core.health;

/**
 * Token-mean of per-token values over response masks: Σ_{i,t} m·v / Σ_{i,t} m (ALGORITHMS.md §0
 * "token-mean"). Used to aggregate per-token top-k mass and entropies that the model code emits.
 */
public final class MaskedMean {

    private MaskedMean() {}

    /**
     * @param values [B][T_i] per-token values; a null row was not computed (outside the learner's
     *     health sample) and counts no token
     * @param mask [B][T_i] true where the token counts
     * @return the token-mean, NaN when no token counts
     */
    public static double of(float[][] values, boolean[][] mask) {
        if (values.length != mask.length) {
            throw new IllegalArgumentException(values.length + " value rows for " + mask.length + " mask rows");
        }
        double sum = 0;
        long n = 0;
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                continue;
            }
            if (values[i].length != mask[i].length) {
                throw new IllegalArgumentException("row " + i + ": " + values[i].length + " values for "
                        + mask[i].length + " mask entries");
            }
            for (int t = 0; t < values[i].length; t++) {
                if (mask[i][t]) {
                    sum += values[i][t];
                    n++;
                }
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
