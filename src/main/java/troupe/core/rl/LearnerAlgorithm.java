package troupe.core.rl;

import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import java.util.List;
import troupe.core.algo.preference.PreferenceSettings;
import troupe.core.config.ConfigReader;
import troupe.core.config.Registry;
import troupe.core.engine.LearnerEngine;
import troupe.core.model.train.TrainablePolicy;
import troupe.core.reward.Objective;

/**
 * Which learning algorithm the learner runs ({@code troupe.learner.algorithm}), with the settings
 * only that algorithm reads; it builds the learner engine. Kept apart from {@link LearnerSettings},
 * whose blocks every algorithm shares (optimizer, micro-batch, weighting, normalisation, weight
 * export). Members are found by name in {@link #REGISTRY}; each reads its settings from the
 * {@code troupe.learner} block. An SFT-style (RAFT) or listwise (PRO) algorithm is one more record
 * here, registered by name, with its step input in {@link StepInput}.
 */
public sealed interface LearnerAlgorithm {
    String POLICY_GRADIENT = "policy-gradient";
    String ONLINE_DPO = "online-dpo";

    /** The learner-algorithm family: every caller builds its engine through it. */
    Registry<LearnerAlgorithm> REGISTRY = new Registry<LearnerAlgorithm>("learner algorithm")
            .register(POLICY_GRADIENT, PolicyGradient::fromConfig, s -> s)
            .register(ONLINE_DPO, OnlineDpo::fromConfig, s -> s);

    /** The config name. */
    String name();

    /**
     * The learner engine of this algorithm.
     *
     * @param policy the trainable policy; owned (closed) by the engine, see {@link LearnerEngines#close}
     * @param objectives the objectives the weighting state starts with
     */
    LearnerEngine engine(TrainablePolicy policy, LearnerSettings settings, List<Objective> objectives,
            NDManager manager);

    /** True when the algorithm pairs samples of one prompt's group (it then needs groups of ≥ 2). */
    default boolean onlineDpo() {
        return this instanceof OnlineDpo;
    }

    /**
     * Reads {@code troupe.learner.algorithm} and that member's settings from a merged config. Every
     * member's settings are read, chosen or not, so {@code troupe config check} catches a bad value
     * in a block the run does not use yet.
     */
    static LearnerAlgorithm fromConfig(Config root) {
        ConfigReader learner = ConfigReader.at(root, "troupe.learner");
        String name = REGISTRY.pick(learner, "algorithm");
        REGISTRY.names().forEach(member -> REGISTRY.settings(member, learner));
        return REGISTRY.create(name, learner);
    }

    /**
     * Critic-free on-policy RL or PPO: the advantage estimator, policy loss and KL blocks of
     * {@link LearnerSettings} pick GRPO, RLOO, REINFORCE++, GAE, …; it reads nothing of its own.
     */
    record PolicyGradient() implements LearnerAlgorithm {
        static PolicyGradient fromConfig(ConfigReader learner) {
            return new PolicyGradient();
        }

        @Override
        public String name() {
            return POLICY_GRADIENT;
        }

        @Override
        public LearnerEngine engine(TrainablePolicy policy, LearnerSettings settings, List<Objective> objectives,
                NDManager manager) {
            return new RlLearnerEngine(policy, settings, objectives, manager);
        }
    }

    /**
     * Online DPO (ALGORITHMS.md §5): pairs within each prompt's group, trained by a preference loss.
     *
     * @param preference loss and hyperparameters ({@code troupe.learner.preference})
     * @param minRewardGap a group whose scalar rewards span at most this gives no pair
     *     ({@code troupe.learner.preference.min-reward-gap}), ≥ 0
     */
    record OnlineDpo(PreferenceSettings preference, double minRewardGap) implements LearnerAlgorithm {
        public OnlineDpo {
            if (!(minRewardGap >= 0)) {
                throw new IllegalArgumentException("minimum reward gap must be >= 0, got " + minRewardGap);
            }
        }

        static OnlineDpo fromConfig(ConfigReader learner) {
            ConfigReader block = learner.block("preference");
            return new OnlineDpo(PreferenceSettings.fromConfig(block), block.doubleIn("min-reward-gap", 0, 1e6));
        }

        @Override
        public String name() {
            return ONLINE_DPO;
        }

        @Override
        public LearnerEngine engine(TrainablePolicy policy, LearnerSettings settings, List<Objective> objectives,
                NDManager manager) {
            return new OnlineDpoEngine(policy, settings, this, objectives, manager);
        }
    }
}
