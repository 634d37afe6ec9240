package troupe.core.reward;

import com.typesafe.config.Config;
import troupe.core.config.ConfigReader;
import troupe.core.config.Registry;

/**
 * A transform of one objective's rewards for one prompt, given rewards of reference-policy
 * samples for the same prompt (ALGORITHMS.md §8). Members live in {@link #REGISTRY}, each with its
 * settings under {@code troupe.rewards.transforms.NAME}; none is applied by default.
 */
@FunctionalInterface
public interface RewardTransform {

    /**
     * @param rewards rewards of the policy's samples for one prompt [N]
     * @param reference rewards of M reference-policy samples for the same prompt [M]
     * @return transformed rewards [N]
     */
    double[] apply(double[] rewards, double[] reference);

    /** Every reward transform by name. */
    Registry<RewardTransform> REGISTRY = new Registry<RewardTransform>("reward transform")
            .register("calibration", RewardCalibration.Settings::fromConfig,
                    s -> (rewards, reference) -> RewardCalibration.apply(rewards, reference, s));

    /** The transform {@code name} with its block {@code troupe.rewards.transforms.NAME} of {@code root}. */
    static RewardTransform fromConfig(String name, Config root) {
        String path = "troupe.rewards.transforms." + name;
        return REGISTRY.create(name, root.hasPath(path) ? ConfigReader.at(root, path)
                : ConfigReader.of(com.typesafe.config.ConfigFactory.empty(), path));
    }
}
