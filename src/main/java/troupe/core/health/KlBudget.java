package troupe.core.health;

/**
 * KL budget (Gao et al., arXiv 2210.10760): gold reward is a function of d = sqrt(KL(π‖π_init))
 * with the <em>sequence-level</em> KL (sum over tokens, not a token mean). KL = 4 nats gives d = 2.
 */
public final class KlBudget {

    private KlBudget() {}

    /**
     * Sequence KL estimate Σ_t m_t·(logπ − logπ_ref) (k1, unbiased on tokens sampled from π).
     *
     * @param logp policy log-probs of the sampled tokens [T]
     * @param ref reference log-probs of the same tokens [T]
     * @param mask [T]
     */
    public static double sequenceKl(float[] logp, float[] ref, boolean[] mask) {
        if (logp.length != ref.length || logp.length != mask.length) {
            throw new IllegalArgumentException("lengths differ: " + logp.length + ", " + ref.length + ", " + mask.length);
        }
        double kl = 0;
        for (int t = 0; t < logp.length; t++) {
            kl += mask[t] ? logp[t] - ref[t] : 0;
        }
        return kl;
    }

    /** d = sqrt(KL); a negative k1 estimate (possible on a small batch) reads as 0. */
    public static double distance(double sequenceKl) {
        return Math.sqrt(Math.max(sequenceKl, 0));
    }

    /**
     * Upper bound on KL(π_BoN‖π) for best-of-n: log n − (n − 1)/n (Beirami et al., arXiv
     * 2401.01879). n = 16 gives 1.835089.
     */
    public static double bestOfNUpperBound(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        return Math.log(n) - (n - 1.0) / n;
    }
}
