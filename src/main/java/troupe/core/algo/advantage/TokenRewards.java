package troupe.core.algo.advantage;

import troupe.core.algo.FiniteChecks;

/**
 * Per-token rewards for PPO-GAE, REINFORCE++ and ReMax (ALGORITHMS.md §3):
 * {@code r[i,t] = −β·kl[i,t] + [t = last_i]·score_i}.
 *
 * <p>The score goes on the <em>last valid</em> response token (verl reward managers, OpenRLHF
 * {@code compute_reward}), not one past it as in TRL's PPO. Example: score 1.0 on the last of 3
 * tokens, β = 0.1, k1 = [0.2, −0.5, 0.1] gives r = [−0.02, 0.05, 0.99].
 */
public final class TokenRewards {

    private TokenRewards() {}

    /**
     * @param scores [B]
     * @param mask [B][L]
     * @return [B][L] with score_i on the last t where mask[i,t] = 1 (a row with no real token gets none)
     */
    public static double[][] fromScores(double[] scores, double[][] mask) {
        FiniteChecks.requireFinite("scores", scores);
        double[][] r = new double[mask.length][];
        for (int i = 0; i < mask.length; i++) {
            r[i] = new double[mask[i].length];
            int last = lastValid(mask[i]);
            if (last >= 0) {
                r[i][last] = scores[i];
            }
        }
        return r;
    }

    /**
     * @param rewards [B][L] token rewards (not modified)
     * @param kl [B][L] per-token KL from {@link troupe.core.algo.kl.KlPenalty#perToken}
     * @param beta β ≥ 0 from the KL controller
     * @param mask [B][L]
     * @return rewards − β·kl at real tokens, 0 elsewhere
     */
    public static double[][] withKlPenalty(double[][] rewards, double[][] kl, double beta, double[][] mask) {
        int b = rewards.length;
        int l = b == 0 ? 0 : rewards[0].length;
        FiniteChecks.requireShape("kl", kl, b, l);
        FiniteChecks.requireShape("mask", mask, b, l);
        FiniteChecks.requireFinite("kl", kl);
        double[][] out = new double[b][l];
        for (int i = 0; i < b; i++) {
            for (int t = 0; t < l; t++) {
                out[i][t] = mask[i][t] == 0 ? 0 : rewards[i][t] - beta * kl[i][t];
            }
        }
        return out;
    }

    /** Index of the last real token of a row, or −1. */
    public static int lastValid(double[] maskRow) {
        for (int t = maskRow.length - 1; t >= 0; t--) {
            if (maskRow[t] != 0) {
                return t;
            }
        }
        return -1;
    }
}
