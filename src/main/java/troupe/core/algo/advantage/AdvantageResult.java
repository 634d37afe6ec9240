package troupe.core.algo.advantage;

/**
 * Per-token advantages and returns, [B][L], 0 at masked positions.
 *
 * @param advantages A[i,t]; outcome estimators broadcast one value per sample over its tokens
 * @param returns R[i,t], the critic target (GAE: A + V before whitening); outcome estimators
 *     return their advantages here, as verl does (ReMax: its reward-to-go before the baseline,
 *     as verl's compute_remax_outcome_advantage)
 */
public record AdvantageResult(double[][] advantages, double[][] returns) {

    /** Advantages as float32 rows, ready for {@code manager.create(float[][])} → [B, L]. */
    public float[][] advantagesAsFloat() {
        return toFloat(advantages);
    }

    private static float[][] toFloat(double[][] x) {
        float[][] out = new float[x.length][];
        for (int i = 0; i < x.length; i++) {
            out[i] = new float[x[i].length];
            for (int t = 0; t < x[i].length; t++) {
                out[i][t] = (float) x[i][t];
            }
        }
        return out;
    }
}
