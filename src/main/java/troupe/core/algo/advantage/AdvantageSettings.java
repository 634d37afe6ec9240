package troupe.core.algo.advantage;

import com.typesafe.config.Config;
import troupe.core.algo.ConfigValues;

/**
 * Hyperparameters of the advantage estimators (ALGORITHMS.md §3–§4). Defaults follow verl
 * ({@code algorithm.*}, {@code core_algos.py}).
 *
 * <p>Config keys (optional): {@code estimator}, {@code gamma}, {@code lambda},
 * {@code grpo-epsilon}, {@code grpo-std} (unbiased | population), {@code whiten-epsilon},
 * {@code whiten-gae}.
 *
 * @param estimator registry name, see {@link AdvantageEstimators#names()}; verl default gae,
 *     ours grpo (critic-free)
 * @param gamma discount γ for GAE and REINFORCE++ returns; verl 1.0 (TRL PPO 1.0)
 * @param lambda GAE λ; verl 1.0 (TRL PPO 0.95)
 * @param grpoEpsilon ε in (r − mean)/(std + ε); verl 1e-6, TRL 1e-4
 * @param grpoStd unbiased (verl, TRL: Bessel-corrected) or population
 * @param whitenEpsilon added to the variance when whitening; verl 1e-8
 * @param whitenGae whiten GAE advantages over the batch (verl always does)
 */
public record AdvantageSettings(String estimator, double gamma, double lambda, double grpoEpsilon,
        String grpoStd, double whitenEpsilon, boolean whitenGae, String grpoScale) {

    /** With GRPO's std taken per group (the paper, verl, TRL's default). */
    public AdvantageSettings(String estimator, double gamma, double lambda, double grpoEpsilon, String grpoStd,
            double whitenEpsilon, boolean whitenGae) {
        this(estimator, gamma, lambda, grpoEpsilon, grpoStd, whitenEpsilon, whitenGae, "group");
    }

    /** verl defaults, with GRPO as the estimator. */
    public static final AdvantageSettings DEFAULTS =
            new AdvantageSettings("grpo", 1.0, 1.0, 1e-6, "unbiased", 1e-8, true);

    public AdvantageSettings {
        if (!grpoScale.equals("group") && !grpoScale.equals("batch")) {
            throw new IllegalArgumentException("Unknown grpo-scale '" + grpoScale + "'; supported: group, batch");
        }
        if (!grpoStd.equals("unbiased") && !grpoStd.equals("population")) {
            throw new IllegalArgumentException("Unknown grpo-std '" + grpoStd + "'; supported: unbiased, population");
        }
        if (!(gamma >= 0 && gamma <= 1) || !(lambda >= 0 && lambda <= 1)) {
            throw new IllegalArgumentException("gamma and lambda must lie in [0, 1]");
        }
        if (!(grpoEpsilon >= 0) || !(whitenEpsilon >= 0)) {
            throw new IllegalArgumentException("epsilons must be non-negative");
        }
    }

    /** Reads the keys present in {@code config}; absent keys keep {@link #DEFAULTS}. */
    public static AdvantageSettings fromConfig(Config config) {
        ConfigValues c = new ConfigValues(config);
        return new AdvantageSettings(
                c.string("estimator", DEFAULTS.estimator),
                c.number("gamma", DEFAULTS.gamma),
                c.number("lambda", DEFAULTS.lambda),
                c.number("grpo-epsilon", DEFAULTS.grpoEpsilon),
                c.string("grpo-std", DEFAULTS.grpoStd),
                c.number("whiten-epsilon", DEFAULTS.whitenEpsilon),
                c.bool("whiten-gae", DEFAULTS.whitenGae),
                c.string("grpo-scale", DEFAULTS.grpoScale));
    }

    public AdvantageSettings withEstimator(String name) {
        return new AdvantageSettings(name, gamma, lambda, grpoEpsilon, grpoStd, whitenEpsilon, whitenGae, grpoScale);
    }

    public AdvantageSettings withGrpo(double epsilon, String std) {
        return new AdvantageSettings(estimator, gamma, lambda, epsilon, std, whitenEpsilon, whitenGae, grpoScale);
    }

    /** TRL's {@code scale_rewards}: divide by the group's std ("group") or the whole batch's ("batch"). */
    public AdvantageSettings withGrpoScale(String scale) {
        return new AdvantageSettings(estimator, gamma, lambda, grpoEpsilon, grpoStd, whitenEpsilon, whitenGae, scale);
    }

    public AdvantageSettings withGae(double newGamma, double newLambda) {
        return new AdvantageSettings(estimator, newGamma, newLambda, grpoEpsilon, grpoStd, whitenEpsilon, whitenGae, grpoScale);
    }
}
