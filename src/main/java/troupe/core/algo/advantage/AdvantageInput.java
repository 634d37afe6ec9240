package troupe.core.algo.advantage;

import troupe.core.algo.FiniteChecks;

/**
 * What an {@link AdvantageEstimator} reads, as plain arrays (advantages are not differentiated).
 * B samples, responses padded to L tokens.
 *
 * @param scores [B] scalar outcome reward per sample (already weighted over objectives)
 * @param groupIds [B] samples of the same prompt share an id (GRPO, RLOO, baselines)
 * @param mask [B][L] 1 for real response tokens including EOS
 * @param tokenRewards [B][L] per-token rewards (score on the last token, minus β·kl), or null to
 *     build them from {@code scores} with {@link TokenRewards#fromScores}; read by GAE,
 *     REINFORCE++ and ReMax only — GRPO-family estimators use {@code scores}, so a KL-in-reward
 *     penalty never leaks into their outcome (ALGORITHMS.md §3 pitfall)
 * @param values [B][L] critic values V_t, GAE only, else null
 * @param baselineScores [B] reward of the greedy response for the same prompt, ReMax only, else null
 */
public record AdvantageInput(double[] scores, int[] groupIds, double[][] mask, double[][] tokenRewards,
        double[][] values, double[] baselineScores) {

    public AdvantageInput {
        int b = scores.length;
        FiniteChecks.requireFinite("scores", scores);
        if (groupIds.length != b) {
            throw new IllegalArgumentException("groupIds has " + groupIds.length + " entries, expected " + b);
        }
        int l = b == 0 ? 0 : mask[0].length;
        FiniteChecks.requireShape("mask", mask, b, l);
        if (tokenRewards != null) {
            FiniteChecks.requireShape("tokenRewards", tokenRewards, b, l);
            FiniteChecks.requireFinite("tokenRewards", tokenRewards);
        }
        if (values != null) {
            FiniteChecks.requireShape("values", values, b, l);
            FiniteChecks.requireFinite("values", values);
        }
        if (baselineScores != null) {
            if (baselineScores.length != b) {
                throw new IllegalArgumentException("baselineScores has " + baselineScores.length + " entries, expected " + b);
            }
            FiniteChecks.requireFinite("baselineScores", baselineScores);
        }
    }

    /** Outcome-only input: one scalar reward per sample plus its group. */
    public static AdvantageInput outcome(double[] scores, int[] groupIds, double[][] mask) {
        return new AdvantageInput(scores, groupIds, mask, null, null, null);
    }

    public AdvantageInput withTokenRewards(double[][] rewards) {
        return new AdvantageInput(scores, groupIds, mask, rewards, values, baselineScores);
    }

    public AdvantageInput withValues(double[][] criticValues) {
        return new AdvantageInput(scores, groupIds, mask, tokenRewards, criticValues, baselineScores);
    }

    public AdvantageInput withBaselineScores(double[] greedyScores) {
        return new AdvantageInput(scores, groupIds, mask, tokenRewards, values, greedyScores);
    }

    /** Batch size B. */
    public int batchSize() {
        return scores.length;
    }

    /** {@link #tokenRewards}, or the scores placed on each sample's last real token. */
    public double[][] tokenRewardsOrScores() {
        return tokenRewards != null ? tokenRewards : TokenRewards.fromScores(scores, mask);
    }
}
