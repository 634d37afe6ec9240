package troupe.core.algo.kl;

import com.typesafe.config.Config;
import troupe.core.algo.ConfigValues;

/**
 * Settings of the KL coefficient β for the reward penalty (ALGORITHMS.md §2). Defaults follow
 * verl {@code algorithm.kl_ctrl}: fixed, β = 0.001, target 0.1, horizon 10000. Legacy TRL
 * PPOConfig used adaptive, β₀ = 0.2, target 6, horizon 10000.
 *
 * <p>Config keys (optional): {@code type} (fixed | adaptive), {@code kl-coef},
 * {@code target-kl}, {@code horizon}.
 *
 * @param type fixed | adaptive
 * @param initCoef β at step 0
 * @param targetKl KL the adaptive controller steers towards (nats, as reported by
 *     {@link KlPenalty#currentKl})
 * @param horizon steps (samples) over which a ±20 % error changes β by ±20 %
 */
public record KlControllerSettings(String type, double initCoef, double targetKl, long horizon) {

    /** verl defaults. */
    public static final KlControllerSettings DEFAULTS = new KlControllerSettings("fixed", 0.001, 0.1, 10_000);

    public KlControllerSettings {
        if (!type.equals("fixed") && !type.equals("adaptive")) {
            throw new IllegalArgumentException("Unknown KL controller '" + type + "'; supported: fixed, adaptive");
        }
        if (!(initCoef >= 0) || !(targetKl > 0) || horizon <= 0) {
            throw new IllegalArgumentException("KL controller needs kl-coef >= 0, target-kl > 0, horizon > 0");
        }
    }

    /** Reads the keys present in {@code config}; absent keys keep {@link #DEFAULTS}. */
    public static KlControllerSettings fromConfig(Config config) {
        ConfigValues c = new ConfigValues(config);
        return new KlControllerSettings(
                c.string("type", DEFAULTS.type),
                c.number("kl-coef", DEFAULTS.initCoef),
                c.number("target-kl", DEFAULTS.targetKl),
                c.longInteger("horizon", DEFAULTS.horizon));
    }
}
