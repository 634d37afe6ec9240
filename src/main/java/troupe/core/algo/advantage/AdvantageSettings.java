package troupe.core.algo.advantage;

import java.util.List;
import troupe.core.config.ConfigReader;

/**
 * Hyperparameters of the advantage estimators (ALGORITHMS.md §3–§4), from the
 * {@code troupe.learner.advantage} block; the defaults and their sources (verl {@code algorithm.*},
 * {@code core_algos.py}; TRL) are documented in reference.conf.
 *
 * @param estimator registry name, see {@link AdvantageEstimators#names()}
 * @param gamma discount γ for GAE and REINFORCE++ returns, in [0, 1]
 * @param lambda GAE λ, in [0, 1]
 * @param grpoEpsilon ε in (r − mean)/(std + ε), ≥ 0
 * @param grpoStd unbiased (verl, TRL: Bessel-corrected) or population
 * @param whitenEpsilon added to the variance when whitening, ≥ 0
 * @param whitenGae whiten GAE advantages over the batch (verl always does)
 * @param grpoScale TRL's {@code scale_rewards}: divide by the std of the group or of the whole batch
 */
public record AdvantageSettings(String estimator, double gamma, double lambda, double grpoEpsilon,
        String grpoStd, double whitenEpsilon, boolean whitenGae, String grpoScale) {

    static final List<String> STDS = List.of("unbiased", "population");
    static final List<String> SCALES = List.of("group", "batch");

    public AdvantageSettings {
        if (!SCALES.contains(grpoScale)) {
            throw new IllegalArgumentException("Unknown grpo-scale '" + grpoScale + "'; supported: group, batch");
        }
        if (!STDS.contains(grpoStd)) {
            throw new IllegalArgumentException("Unknown grpo-std '" + grpoStd + "'; supported: unbiased, population");
        }
        if (!(gamma >= 0 && gamma <= 1) || !(lambda >= 0 && lambda <= 1)) {
            throw new IllegalArgumentException("gamma and lambda must lie in [0, 1]");
        }
        if (!(grpoEpsilon >= 0) || !(whitenEpsilon >= 0)) {
            throw new IllegalArgumentException("epsilons must be non-negative");
        }
    }

    /** Reads every key of the block; a bad value fails naming its full key. */
    public static AdvantageSettings fromConfig(ConfigReader r) {
        return new AdvantageSettings(
                AdvantageEstimators.REGISTRY.pick(r, "estimator"),
                r.doubleIn("gamma", 0, 1),
                r.doubleIn("lambda", 0, 1),
                r.doubleIn("grpo-epsilon", 0, 1),
                r.oneOf("grpo-std", STDS),
                r.doubleIn("whiten-epsilon", 0, 1),
                r.bool("whiten-gae"),
                r.oneOf("grpo-scale", SCALES));
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

    public AdvantageSettings withWhitenGae(boolean whiten) {
        return new AdvantageSettings(estimator, gamma, lambda, grpoEpsilon, grpoStd, whitenEpsilon, whiten, grpoScale);
    }
}
