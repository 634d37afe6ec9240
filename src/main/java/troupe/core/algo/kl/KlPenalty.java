package troupe.core.algo.kl;

import troupe.core.algo.FiniteChecks;

/**
 * KL to the reference as a per-token <em>reward penalty</em>: no gradient, plain arrays
 * (ALGORITHMS.md §2, PPO / REINFORCE++). The learner subtracts β·kl[i,t] from the token rewards
 * ({@link troupe.core.algo.advantage.TokenRewards#withKlPenalty}) using the rollout-time (old)
 * log-probs, with β from a {@link KlController}.
 */
public final class KlPenalty {

    private KlPenalty() {}

    /**
     * @param logp [B][L] old (behaviour) log-probs
     * @param ref [B][L] reference log-probs
     * @param mask [B][L], 1 for real tokens
     * @param estimator usually {@link KlSettings#rewardKl()}
     * @return kl[i,t] [B][L], 0 at masked positions
     */
    public static double[][] perToken(double[][] logp, double[][] ref, double[][] mask, KlEstimator estimator) {
        int b = logp.length;
        int l = b == 0 ? 0 : logp[0].length;
        FiniteChecks.requireShape("ref", ref, b, l);
        FiniteChecks.requireShape("mask", mask, b, l);
        FiniteChecks.requireFinite("logp", logp);
        FiniteChecks.requireFinite("ref", ref);
        double[][] kl = new double[b][l];
        for (int i = 0; i < b; i++) {
            for (int t = 0; t < l; t++) {
                kl[i][t] = mask[i][t] == 0 ? 0 : estimator.estimate(logp[i][t], ref[i][t]);
            }
        }
        return kl;
    }

    /**
     * The KL reported to the controller, verl {@code apply_kl_penalty} (ray_trainer.py) "current_kl":
     * {@code masked_mean(kld, mask, axis=-1)} per sequence, then the mean over <em>all</em> sequences.
     * A sequence with no real tokens counts as 0 (verl's masked mean is 0/(0 + 1e-8)), so an empty
     * response pulls the mean down and the adaptive β follows verl's path.
     */
    public static double currentKl(double[][] kl, double[][] mask) {
        if (kl.length == 0) {
            return 0;
        }
        double total = 0;
        for (int i = 0; i < kl.length; i++) {
            double sum = 0;
            double n = 0;
            for (int t = 0; t < kl[i].length; t++) {
                sum += mask[i][t] * kl[i][t];
                n += mask[i][t];
            }
            if (n > 0) {
                total += sum / n;
            }
        }
        return total / kl.length;
    }
}
