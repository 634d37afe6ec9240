package troupe.core.algo.kl;

import com.typesafe.config.Config;
import troupe.core.algo.ConfigValues;

/**
 * KL-to-reference settings (ALGORITHMS.md §2). Defaults follow verl
 * ({@code _generated_ppo_trainer.yaml}): k1 in the reward when KL-in-reward is on, k3
 * ({@code low_var_kl}) with coefficient 0.001 as a loss term, k3 clamps ±20 / ±10.
 *
 * <p>Config keys (all optional, defaults in {@link #DEFAULTS}): {@code reward-estimator},
 * {@code loss-estimator}, {@code loss-coef}, {@code log-ratio-clamp}, {@code k3-clamp}.
 *
 * @param rewardEstimator estimator for the per-token reward penalty: k1 | k2 | k3 | abs
 * @param lossEstimator estimator for the KL loss term (GRPO): k3 in verl and TRL
 * @param lossCoef β of the loss term; verl {@code kl_loss_coef} = 0.001, TRL GRPO β = 0
 * @param logRatioClamp k3 clamps (ref − logp) to ±this before exp (verl 20; ∞ = OpenRLHF/TRL)
 * @param k3Clamp k3 clamps its result to ±this (verl 10; ∞ = no clamp)
 */
public record KlSettings(String rewardEstimator, String lossEstimator, double lossCoef,
        double logRatioClamp, double k3Clamp) {

    /** verl defaults. */
    public static final KlSettings DEFAULTS = new KlSettings("k1", "k3", 0.001, 20.0, 10.0);

    public KlSettings {
        KlEstimator.fromName(rewardEstimator);
        KlEstimator.fromName(lossEstimator);
        if (!(logRatioClamp > 0) || !(k3Clamp > 0) || !(lossCoef >= 0)) {
            throw new IllegalArgumentException("KL clamps must be positive and loss-coef non-negative");
        }
    }

    /** Reads the keys present in {@code config}; absent keys keep {@link #DEFAULTS}. */
    public static KlSettings fromConfig(Config config) {
        ConfigValues c = new ConfigValues(config);
        return new KlSettings(
                c.string("reward-estimator", DEFAULTS.rewardEstimator),
                c.string("loss-estimator", DEFAULTS.lossEstimator),
                c.number("loss-coef", DEFAULTS.lossCoef),
                c.number("log-ratio-clamp", DEFAULTS.logRatioClamp),
                c.number("k3-clamp", DEFAULTS.k3Clamp));
    }
}
