package troupe.core.algo.advantage;

import troupe.core.config.Registry;

/**
 * The registry of advantage estimators — the learner's entry point for step (a):
 *
 * <pre>{@code
 * AdvantageSettings s = AdvantageSettings.fromConfig(learner.block("advantage"));   // estimator = "grpo"
 * AdvantageEstimator est = AdvantageEstimators.create(s);
 * AdvantageResult adv = est.compute(AdvantageInput.outcome(scores, groupIds, mask));
 * NDArray a = manager.create(adv.advantagesAsFloat());                    // [B, L]
 * }</pre>
 *
 * Names: gae (PPO with critic), grpo, dr-grpo, rloo, reinforce++, reinforce++-baseline, remax.
 * Every member reads the one {@link AdvantageSettings} record. An unknown name fails listing these.
 */
public final class AdvantageEstimators {

    /** The family; names, picks and builds from a config block go to it directly. */
    public static final Registry<AdvantageEstimator> REGISTRY = new Registry<AdvantageEstimator>("advantage estimator")
            .register("gae", AdvantageSettings::fromConfig, GaeEstimator::new)
            .register("grpo", AdvantageSettings::fromConfig, GrpoEstimator::grpo)
            .register("dr-grpo", AdvantageSettings::fromConfig, GrpoEstimator::drGrpo)
            .register("rloo", AdvantageSettings::fromConfig, s -> new RlooEstimator())
            .register("reinforce++", AdvantageSettings::fromConfig, ReinforcePlusPlusEstimator::new)
            .register("reinforce++-baseline", AdvantageSettings::fromConfig, ReinforcePlusPlusBaselineEstimator::new)
            .register("remax", AdvantageSettings::fromConfig, s -> new RemaxEstimator());

    private AdvantageEstimators() {}

    /** The estimator named by {@code settings.estimator()}. */
    public static AdvantageEstimator create(AdvantageSettings settings) {
        return REGISTRY.build(settings.estimator(), settings);
    }

    /** The estimator {@code name} with the other hyperparameters from {@code settings}. */
    public static AdvantageEstimator create(String name, AdvantageSettings settings) {
        return create(settings.withEstimator(name));
    }
}
