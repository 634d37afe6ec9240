package troupe.core.rl;

import java.util.Optional;
import troupe.core.algo.advantage.AdvantageEstimator;
import troupe.core.algo.advantage.AdvantageInput;
import troupe.core.algo.advantage.AdvantageResult;
import troupe.core.algo.advantage.TokenRewards;
import troupe.core.algo.dapo.OverlongPenalty;
import troupe.core.algo.dapo.OverlongSettings;
import troupe.core.algo.kl.KlPenalty;
import troupe.core.algo.kl.KlSettings;
import troupe.core.weighting.WeightingResult;

/**
 * Step (b) of the learner, on plain arrays: scalar rewards → DAPO overlong shaping → token
 * rewards (score on the last real token, minus β·kl per token when KL is in the reward,
 * ALGORITHMS.md §3) → advantages and returns from the configured estimator (GAE also reads the
 * critic's old values).
 */
final class StepAdvantages {

    /**
     * @param advantages [N][L], 0 at masked positions
     * @param returns [N][L], the critic's target R = A + V (GAE, before whitening)
     * @param tokenRewards [N][L] as the estimator saw them; null when it used the scalar scores
     * @param klPenaltyMean token-mean of β·kl subtracted from the token rewards; 0 when KL is a loss
     * @param currentKl verl's "current_kl" of the penalty's estimator (token-mean per sequence, then
     *     mean), for the adaptive controller; NaN when KL is a loss
     * @param overlongMean mean overlong penalty per sample, ≤ 0; 0 when shaping is off
     */
    record Result(double[][] advantages, double[][] returns, double[][] tokenRewards, double klPenaltyMean,
            double currentKl, double overlongMean) {}

    private final AdvantageEstimator estimator;
    private final boolean klInReward;
    private final KlSettings kl;
    private final Optional<OverlongSettings> overlong;

    StepAdvantages(AdvantageEstimator estimator, boolean klInReward, KlSettings kl, Optional<OverlongSettings> overlong) {
        this.estimator = estimator;
        this.klInReward = klInReward;
        this.kl = kl;
        this.overlong = overlong;
    }

    /**
     * @param old the step's old log-probs (the KL penalty's π, read only when KL is in the reward)
     * @param oldValues [N][L] critic values at the start of the step; empty without a critic
     * @param beta the KL controller's β
     * @param maxNewTokens the batch's generation limit (overlong L_max when not configured)
     */
    Result compute(WeightingResult weighted, LearnerBatch b, StepInput.OldLogProbs old,
            Optional<double[][]> oldValues, double beta, int maxNewTokens) {
        double[] r = weighted.rewards().clone();
        if (weighted.kind() == WeightingResult.Kind.ADVANTAGE) {
            if (overlong.isPresent() || klInReward || oldValues.isPresent()) {
                throw new IllegalStateException("the weighting strategy yields advantages, but overlong shaping, "
                        + "KL in the reward and gae need scalar rewards: choose another strategy or turn them off");
            }
            double[][] out = new double[b.size()][b.maxLength()];
            for (int i = 0; i < out.length; i++) {
                for (int t = 0; t < out[i].length; t++) {
                    out[i][t] = r[i] * b.mask()[i][t];
                }
            }
            return new Result(out, out, null, 0, Double.NaN, 0);
        }
        double overlongMean = 0;
        if (overlong.isPresent()) {
            OverlongSettings s = overlong.get().forLimit(maxNewTokens);
            for (int i = 0; i < r.length; i++) {
                double p = OverlongPenalty.of(b.responses()[i].length, s);
                r[i] += p;
                overlongMean += p / r.length;
            }
        }
        AdvantageInput in = AdvantageInput.outcome(r, b.groupIds(), b.mask());
        double[][] tokenRewards = null;
        double penaltyMean = 0;
        double currentKl = Double.NaN;
        if (klInReward) {
            double[][] perToken = KlPenalty.perToken(old.beforeUpdate(), b.reference(), b.mask(), kl.rewardKl());
            tokenRewards = TokenRewards.withKlPenalty(TokenRewards.fromScores(r, b.mask()), perToken, beta, b.mask());
            currentKl = KlPenalty.currentKl(perToken, b.mask());
            penaltyMean = beta * tokenMean(perToken, b.mask());
            in = in.withTokenRewards(tokenRewards);
        } else if (oldValues.isPresent()) {
            tokenRewards = TokenRewards.fromScores(r, b.mask());
        }
        if (oldValues.isPresent()) {
            in = in.withValues(oldValues.get());
        }
        AdvantageResult adv = estimator.compute(in);
        return new Result(adv.advantages(), adv.returns(), tokenRewards, penaltyMean, currentKl, overlongMean);
    }

    private static double tokenMean(double[][] x, double[][] mask) {
        double sum = 0;
        double n = 0;
        for (int i = 0; i < x.length; i++) {
            for (int t = 0; t < x[i].length; t++) {
                sum += mask[i][t] * x[i][t];
                n += mask[i][t];
            }
        }
        return n > 0 ? sum / n : 0;
    }
}
