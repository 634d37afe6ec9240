package troupe.core.algo.advantage;

/**
 * ReMax (Li et al., arXiv 2310.10505), verl {@code compute_remax_outcome_advantage}: the
 * reward-to-go of the sampled response minus the reward of the greedy response to the same
 * prompt, {@code A[i,t] = Σ_{s≥t} r[i,s] − R(y_greedy,i)}. With the score on the last token only
 * this is {@code score_i − baseline_i} at every real token. The returns are verl's: the
 * reward-to-go {@code Σ_{s≥t} r[i,s]} before the baseline is subtracted. Both are 0 at masked
 * positions (verl leaves the to-go of later tokens there; the loss never reads them). Needs
 * {@link AdvantageInput#baselineScores()} (one extra greedy rollout per prompt).
 */
public final class RemaxEstimator implements AdvantageEstimator {

    @Override
    public AdvantageResult compute(AdvantageInput input) {
        if (input.baselineScores() == null) {
            throw new IllegalArgumentException("remax needs greedy baseline rewards: AdvantageInput.withBaselineScores(...)");
        }
        double[][] r = input.tokenRewardsOrScores();
        double[][] mask = input.mask();
        double[][] advantages = new double[r.length][];
        double[][] returns = new double[r.length][];
        for (int i = 0; i < r.length; i++) {
            advantages[i] = new double[r[i].length];
            returns[i] = new double[r[i].length];
            double toGo = 0;
            for (int t = r[i].length - 1; t >= 0; t--) {
                if (mask[i][t] == 0) {
                    continue;
                }
                toGo += r[i][t];
                returns[i][t] = toGo;
                advantages[i][t] = toGo - input.baselineScores()[i];
            }
        }
        return new AdvantageResult(advantages, returns);
    }
}
