package troupe.core.health;

/**
 * Per-token top-k values, one row per response, aligned with its tokens (see {@link TopKStats}
 * for the definitions). The model code either fills these during the learner's forward pass or
 * hands over the per-position distributions to {@link #fromProbabilities}.
 *
 * @param mass [B][T_i] M_k per token; a row is null where it was not computed (outside the
 *     learner's health sample: the indicators are token means over the sampled rows)
 * @param entropyRenormalised [B][T_i]
 * @param entropyPartial [B][T_i]
 */
public record TopKTokens(float[][] mass, float[][] entropyRenormalised, float[][] entropyPartial) {

    /**
     * @param probs [B][T_i][V] next-token distributions at each response position
     * @param k top-k size, ≥ 1
     */
    public static TopKTokens fromProbabilities(double[][][] probs, int k) {
        float[][] mass = new float[probs.length][];
        float[][] renorm = new float[probs.length][];
        float[][] partial = new float[probs.length][];
        for (int i = 0; i < probs.length; i++) {
            int t = probs[i].length;
            mass[i] = new float[t];
            renorm[i] = new float[t];
            partial[i] = new float[t];
            for (int j = 0; j < t; j++) {
                TopKStats s = TopKStats.of(probs[i][j], k);
                mass[i][j] = (float) s.mass();
                renorm[i][j] = (float) s.entropyRenormalised();
                partial[i][j] = (float) s.entropyPartial();
            }
        }
        return new TopKTokens(mass, renorm, partial);
    }
}
