package troupe.core.algo.policy;

import troupe.core.algo.LossAggregation;
import troupe.core.config.ConfigReader;
import troupe.core.config.SettingsException;

/**
 * Hyperparameters of the policy loss (ALGORITHMS.md §3), from the {@code troupe.learner.policy-loss}
 * block; defaults and their sources (verl {@code actor.clip_ratio*}, {@code loss_agg_mode},
 * {@code entropy_coeff}; DAPO) are documented in reference.conf.
 *
 * @param loss registry name, see {@link PolicyLosses#names()}
 * @param clipLow ε_low: ratio floor 1 − ε_low, in [0, 1] (1: no floor, as CISPO's default)
 * @param clipHigh ε_high: ratio ceiling 1 + ε_high, ≥ 0
 * @param dualClip c > 1 of dual-clip PPO (arXiv 1912.09729); {@code inf} disables
 * @param logRatioClamp logp − old is clamped to ±this before exp, > 0
 * @param aggregation loss aggregation mode
 * @param entropyCoef c of the entropy bonus {@code loss −= c·agg(H)}, ≥ 0
 */
public record PolicyLossSettings(String loss, double clipLow, double clipHigh, double dualClip,
        double logRatioClamp, LossAggregation aggregation, double entropyCoef) {

    public PolicyLossSettings {
        if (!(clipLow >= 0 && clipLow <= 1) || !(clipHigh >= 0)) {
            throw new IllegalArgumentException("need 0 <= clip-low <= 1 and clip-high >= 0");
        }
        if (!(dualClip > 1)) {
            throw new IllegalArgumentException("dual-clip must be > 1 (inf disables it), got " + dualClip);
        }
        if (!(logRatioClamp > 0) || !(entropyCoef >= 0)) {
            throw new IllegalArgumentException("need log-ratio-clamp > 0 and entropy-coef >= 0");
        }
    }

    /** Reads every key of the block; a bad value fails naming its full key. */
    public static PolicyLossSettings fromConfig(ConfigReader r) {
        return fromConfig(r, PolicyLosses.REGISTRY.pick(r, "loss"));
    }

    /**
     * The block's settings for loss {@code loss}, whatever its {@code loss} key says (the learner
     * algorithms {@code gspo} and {@code cispo} choose their loss by name). gspo and cispo read
     * their clip range from their own sub-block ({@code policy-loss.gspo}, {@code policy-loss.cispo}),
     * since their scales differ from PPO's by orders of magnitude; both sub-blocks are validated
     * whichever loss is chosen, so {@code troupe config check} sees a bad value early.
     */
    public static PolicyLossSettings fromConfig(ConfigReader r, String loss) {
        double[] gspo = ownClip(r.block(GspoLoss.NAME), 0.999999);
        double[] cispo = ownClip(r.block(CispoLoss.NAME), 1);
        double[] own = loss.equals(GspoLoss.NAME) ? gspo : loss.equals(CispoLoss.NAME) ? cispo : null;
        double clipLow = r.doubleIn("clip-low", 0, 0.999999);
        double dualClip = r.doubleOrInf("dual-clip", 1, Double.POSITIVE_INFINITY);
        if (dualClip == 1) {
            throw new SettingsException(r.key("dual-clip"), "a number > 1 or inf", dualClip);
        }
        double clipHigh = r.doubleIn("clip-high", 0, 1e6);
        return new PolicyLossSettings(
                loss,
                own != null ? own[0] : clipLow,
                own != null ? own[1] : clipHigh,
                dualClip,
                r.doubleAbove("log-ratio-clamp", 0, 1e6),
                r.enumOf("aggregation", LossAggregation.class),
                r.doubleIn("entropy-coef", 0, 1e6));
    }

    /** {clip-low, clip-high} of a loss's own block; clip-low up to {@code maxLow} (1 = no floor). */
    private static double[] ownClip(ConfigReader block, double maxLow) {
        return new double[] {block.doubleIn("clip-low", 0, maxLow), block.doubleIn("clip-high", 0, 1e6)};
    }

    /** DAPO's clip-higher: ε_low = 0.2, ε_high = 0.28, token-mean. */
    public PolicyLossSettings withClip(double low, double high) {
        return new PolicyLossSettings(loss, low, high, dualClip, logRatioClamp, aggregation, entropyCoef);
    }

    public PolicyLossSettings withName(String name) {
        return new PolicyLossSettings(name, clipLow, clipHigh, dualClip, logRatioClamp, aggregation, entropyCoef);
    }

    public PolicyLossSettings withDualClip(double c) {
        return new PolicyLossSettings(loss, clipLow, clipHigh, c, logRatioClamp, aggregation, entropyCoef);
    }

    public PolicyLossSettings withAggregation(LossAggregation mode) {
        return new PolicyLossSettings(loss, clipLow, clipHigh, dualClip, logRatioClamp, mode, entropyCoef);
    }

    public PolicyLossSettings withEntropyCoef(double c) {
        return new PolicyLossSettings(loss, clipLow, clipHigh, dualClip, logRatioClamp, aggregation, c);
    }
}
