package troupe.core.health;

/**
 * Top-k probability mass and top-k entropy of one next-token distribution (Shi et al., arXiv
 * 2410.11677: decreasing top-k entropy and diminishing top-k mass signal likelihood
 * over-optimisation). Which entropy reading the paper uses is unconfirmed, so both are given:
 *
 * <pre>
 * M_k        = Σ_{top-k} p
 * H_renorm   = −Σ_{top-k} q log q,  q = p/M_k
 * H_partial  = −Σ_{top-k} p log p
 * </pre>
 *
 * Example: p = [0.5, 0.3, 0.1, 0.1], k = 2: M = 0.8, H_renorm = 0.661563, H_partial = 0.707765 (nats).
 *
 * @param mass M_k ∈ (0, 1]
 * @param entropyRenormalised H of the renormalised top-k distribution, nats
 * @param entropyPartial the top-k terms of the full entropy, nats
 */
public record TopKStats(double mass, double entropyRenormalised, double entropyPartial) {

    /**
     * @param probs one position's distribution [V] (need not be sorted)
     * @param k number of tokens kept, ≥ 1 (clamped to V)
     */
    public static TopKStats of(double[] probs, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        double[] sorted = probs.clone();
        java.util.Arrays.sort(sorted);
        int kk = Math.min(k, sorted.length);
        double mass = 0;
        double partial = 0;
        for (int j = sorted.length - kk; j < sorted.length; j++) {
            double p = sorted[j];
            mass += p;
            partial -= p > 0 ? p * Math.log(p) : 0;
        }
        // H_renorm = −Σ (p/M) log(p/M) = (H_partial)/M + log M
        double renorm = mass > 0 ? partial / mass + Math.log(mass) : 0;
        return new TopKStats(mass, renorm, partial);
    }
}
