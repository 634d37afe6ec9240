package troupe.core.algo.kl;

import troupe.core.config.ConfigReader;
import troupe.core.config.SettingsException;

/**
 * KL-to-reference settings (ALGORITHMS.md §2), from the {@code troupe.learner.kl} block (its
 * {@code placement} key is the learner's, {@link KlPlacement}). The defaults, in reference.conf,
 * follow verl ({@code _generated_ppo_trainer.yaml}): k1 in the reward when KL-in-reward is on, k3
 * ({@code low_var_kl}) as a loss term, k3 clamps ±20 / ±10. β is not here: it comes from the
 * {@link KlController} ({@code kl-controller.kl-coef}).
 *
 * @param rewardEstimator estimator for the per-token reward penalty, a {@link KlEstimators} name
 *     (verl aliases are resolved to it)
 * @param lossEstimator estimator for the KL loss term (GRPO): k3 in verl and TRL
 * @param logRatioClamp k3 clamps (ref − logp) to ±this before exp, > 0 (verl 20; ∞ = OpenRLHF/TRL)
 * @param k3Clamp k3 clamps its result to ±this, > 0 (verl 10; ∞ = no clamp)
 */
public record KlSettings(String rewardEstimator, String lossEstimator, double logRatioClamp, double k3Clamp) {

    public KlSettings {
        rewardEstimator = KlEstimators.canonical(rewardEstimator);
        lossEstimator = KlEstimators.canonical(lossEstimator);
        if (!(logRatioClamp > 0) || !(k3Clamp > 0)) {
            throw new IllegalArgumentException("KL clamps must be positive");
        }
    }

    /** Reads every key of the block but {@code placement}; a bad value fails naming its full key. */
    public static KlSettings fromConfig(ConfigReader r) {
        return new KlSettings(KlEstimators.pick(r, "reward-estimator"), KlEstimators.pick(r, "loss-estimator"),
                positiveOrInf(r, "log-ratio-clamp"), positiveOrInf(r, "k3-clamp"));
    }

    private static double positiveOrInf(ConfigReader r, String key) {
        double v = r.doubleOrInf(key, 0, Double.POSITIVE_INFINITY);
        if (v == 0) {
            throw new SettingsException(r.key(key), "a number > 0, or inf", v);
        }
        return v;
    }

    /** The reward-penalty estimator, built through the registry. */
    public KlEstimator rewardKl() {
        return KlEstimators.create(rewardEstimator, this);
    }

    /** The loss-term estimator, built through the registry. */
    public KlEstimator lossKl() {
        return KlEstimators.create(lossEstimator, this);
    }

    public KlSettings withClamps(double logRatio, double k3) {
        return new KlSettings(rewardEstimator, lossEstimator, logRatio, k3);
    }

    public KlSettings withLossEstimator(String name) {
        return new KlSettings(rewardEstimator, name, logRatioClamp, k3Clamp);
    }
}
