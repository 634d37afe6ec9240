package troupe.core.algo.preference;

/**
 * What the preference family reports beside its loss, over one step's pairs (host, no gradient),
 * from the summed response log-probs of the policy and the reference.
 *
 * <ul>
 *   <li>Ranking accuracy (Chen et al., arXiv 2405.19534): share of pairs with
 *       log π(y_w) > log π(y_l), on sums — the policy's own ranking, not the implicit reward's.
 *   <li>Idealised ranking accuracy (same paper): the share the optimal DPO policy would rank
 *       right, given the true preference probability α = σ(r_w − r_l) of a Bradley–Terry gold
 *       score: right iff Δlog π_ref + (1/β)·log(α/(1 − α)) > 0, and log(α/(1 − α)) = r_w − r_l.
 *       Example Δlog π_ref = −0.4, β = 0.1, α = σ(0.5): margin 4.6 → right.
 *   <li>Log-prob drift: mean over pairs of log π(y) − log π_ref(y) for the chosen and for the
 *       rejected responses (DPO typically pushes both down; the rejected faster).
 * </ul>
 *
 * @param rankingAccuracy share in [0, 1]; 0 without pairs
 * @param idealisedRankingAccuracy share in [0, 1]; NaN without a gold score
 * @param chosenDrift mean log π(y_w) − log π_ref(y_w), nats
 * @param rejectedDrift mean log π(y_l) − log π_ref(y_l), nats
 * @param pairs pairs the means are over
 */
public record RankingStats(double rankingAccuracy, double idealisedRankingAccuracy, double chosenDrift,
        double rejectedDrift, int pairs) {

    public static final RankingStats NONE = new RankingStats(0, Double.NaN, 0, 0, 0);

    /** The idealised DPO margin Δlog π_ref + (1/β)·logit(α); right iff > 0. */
    public static double idealisedMargin(double refDelta, double beta, double alpha) {
        if (!(beta > 0) || !(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("need beta > 0 and alpha in (0, 1), got " + beta + ", " + alpha);
        }
        return refDelta + Math.log(alpha / (1 - alpha)) / beta;
    }

    /**
     * @param goldChosen gold score of each chosen response; null when there is none (the
     *     idealised accuracy is then NaN)
     */
    public static RankingStats of(double[] policyChosen, double[] policyRejected, double[] refChosen,
            double[] refRejected, double[] goldChosen, double[] goldRejected, double beta) {
        int n = policyChosen.length;
        if (n == 0) {
            return NONE;
        }
        double right = 0;
        double ideal = 0;
        double dc = 0;
        double dr = 0;
        for (int i = 0; i < n; i++) {
            right += policyChosen[i] > policyRejected[i] ? 1 : 0;
            dc += policyChosen[i] - refChosen[i];
            dr += policyRejected[i] - refRejected[i];
            if (goldChosen != null) {
                // logit(σ(r_w − r_l)) = r_w − r_l, so no α is formed (it saturates for large gaps)
                ideal += refChosen[i] - refRejected[i] + (goldChosen[i] - goldRejected[i]) / beta > 0 ? 1 : 0;
            }
        }
        return new RankingStats(right / n, goldChosen == null ? Double.NaN : ideal / n, dc / n, dr / n, n);
    }
}
