package troupe.core.algo.advantage;

import java.util.List;
import java.util.function.Function;
import troupe.core.algo.Registry;

/**
 * The registry of advantage estimators — the learner's entry point for step (a):
 *
 * <pre>{@code
 * AdvantageEstimator est = AdvantageEstimators.create(settings);          // settings.estimator() = "grpo"
 * AdvantageResult adv = est.compute(AdvantageInput.outcome(scores, groupIds, mask));
 * NDArray a = manager.create(adv.advantagesAsFloat());                    // [B, L]
 * }</pre>
 *
 * Names: gae (PPO with critic), grpo, dr-grpo, rloo, reinforce++, reinforce++-baseline, remax.
 * An unknown name fails with an {@link IllegalArgumentException} listing these.
 */
public final class AdvantageEstimators {

    private static final Registry<Function<AdvantageSettings, AdvantageEstimator>> REGISTRY =
            new Registry<Function<AdvantageSettings, AdvantageEstimator>>("advantage estimator")
                    .register("gae", GaeEstimator::new)
                    .register("grpo", GrpoEstimator::grpo)
                    .register("dr-grpo", GrpoEstimator::drGrpo)
                    .register("rloo", s -> new RlooEstimator())
                    .register("reinforce++", ReinforcePlusPlusEstimator::new)
                    .register("reinforce++-baseline", ReinforcePlusPlusBaselineEstimator::new)
                    .register("remax", s -> new RemaxEstimator());

    private AdvantageEstimators() {}

    /** The estimator named by {@code settings.estimator()}. */
    public static AdvantageEstimator create(AdvantageSettings settings) {
        return REGISTRY.get(settings.estimator()).apply(settings);
    }

    /** The estimator {@code name} with the other hyperparameters from {@code settings}. */
    public static AdvantageEstimator create(String name, AdvantageSettings settings) {
        return create(settings.withEstimator(name));
    }

    /** Supported names in registration order. */
    public static List<String> names() {
        return REGISTRY.names();
    }
}
