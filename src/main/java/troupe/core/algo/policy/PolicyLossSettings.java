package troupe.core.algo.policy;

import com.typesafe.config.Config;
import troupe.core.algo.ConfigValues;
import troupe.core.algo.LossAggregation;

/**
 * Hyperparameters of the policy loss (ALGORITHMS.md §3). Defaults follow verl
 * ({@code actor.clip_ratio*}, {@code loss_agg_mode}, {@code entropy_coeff}).
 *
 * <p>Config keys (optional): {@code loss}, {@code clip-low}, {@code clip-high},
 * {@code dual-clip}, {@code log-ratio-clamp}, {@code aggregation}, {@code entropy-coef}.
 *
 * @param loss registry name, see {@link PolicyLosses#names()}
 * @param clipLow ε_low: ratio floor 1 − ε_low; verl / OpenRLHF 0.2
 * @param clipHigh ε_high: ratio ceiling 1 + ε_high; 0.2, DAPO clip-higher 0.28
 * @param dualClip c > 1 of dual-clip PPO (arXiv 1912.09729), verl 3.0; {@code inf} disables
 * @param logRatioClamp logp − old is clamped to ±this before exp; verl 20
 * @param aggregation loss aggregation mode; verl token-mean
 * @param entropyCoef c of the entropy bonus {@code loss −= c·agg(H)}; verl and TRL 0
 */
public record PolicyLossSettings(String loss, double clipLow, double clipHigh, double dualClip,
        double logRatioClamp, LossAggregation aggregation, double entropyCoef) {

    /** verl defaults. */
    public static final PolicyLossSettings DEFAULTS =
            new PolicyLossSettings("ppo-clip", 0.2, 0.2, 3.0, 20.0, LossAggregation.TOKEN_MEAN, 0.0);

    public PolicyLossSettings {
        if (!(clipLow >= 0 && clipLow < 1) || !(clipHigh >= 0)) {
            throw new IllegalArgumentException("need 0 <= clip-low < 1 and clip-high >= 0");
        }
        if (!(dualClip > 1)) {
            throw new IllegalArgumentException("dual-clip must be > 1 (inf disables it), got " + dualClip);
        }
        if (!(logRatioClamp > 0) || !(entropyCoef >= 0)) {
            throw new IllegalArgumentException("need log-ratio-clamp > 0 and entropy-coef >= 0");
        }
    }

    /** Reads the keys present in {@code config}; absent keys keep {@link #DEFAULTS}. */
    public static PolicyLossSettings fromConfig(Config config) {
        ConfigValues c = new ConfigValues(config);
        return new PolicyLossSettings(
                c.string("loss", DEFAULTS.loss),
                c.number("clip-low", DEFAULTS.clipLow),
                c.number("clip-high", DEFAULTS.clipHigh),
                c.number("dual-clip", DEFAULTS.dualClip),
                c.number("log-ratio-clamp", DEFAULTS.logRatioClamp),
                LossAggregation.fromName(c.string("aggregation", DEFAULTS.aggregation.configName())),
                c.number("entropy-coef", DEFAULTS.entropyCoef));
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
}
