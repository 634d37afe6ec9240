package troupe.core.rl;

import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import java.util.List;
import java.util.Optional;
import troupe.core.algo.policy.CispoLoss;
import troupe.core.algo.policy.GspoLoss;
import troupe.core.algo.policy.PolicyLossSettings;
import troupe.core.algo.preference.PreferenceSettings;
import troupe.core.algo.ranking.RaftSelection;
import troupe.core.config.ConfigReader;
import troupe.core.config.Registry;
import troupe.core.config.SettingsException;
import troupe.core.engine.LearnerEngine;
import troupe.core.model.hf.TextTokenizer;
import troupe.core.model.train.TrainablePolicy;
import troupe.core.reward.Objective;

/**
 * Which learning algorithm the learner runs ({@code troupe.learner.algorithm}), with the settings
 * only that algorithm reads; it builds the learner engine. Kept apart from {@link LearnerSettings},
 * whose blocks every algorithm shares (optimizer, micro-batch, weighting, normalisation, weight
 * export). Members are found by name in {@link #REGISTRY}; each reads its settings from the
 * {@code troupe.learner} block. An alias (grpo, dpo) is a member that builds the same record as
 * the name it stands for, so every name, alias or not, is looked up in the one registry.
 */
public sealed interface LearnerAlgorithm {
    String POLICY_GRADIENT = "policy-gradient";
    String ONLINE_DPO = "online-dpo";
    String RAFT = "raft";
    String PRO = "pro";
    String LCPO = "lcpo";
    String APO = "apo";
    String REWARD_AUGMENTED = "reward-augmented";

    /** The learner-algorithm family: every caller builds its engine through it. */
    Registry<LearnerAlgorithm> REGISTRY = new Registry<LearnerAlgorithm>("learner algorithm")
            .register(POLICY_GRADIENT, PolicyGradient::fromConfig, s -> s)
            .register(ONLINE_DPO, OnlineDpo::fromConfig, s -> s)
            // aliases, ranked feedback (RAFT, PRO) and the newer policy losses (ALGORITHMS.md §10)
            .register("grpo", PolicyGradient::fromConfig, s -> s)
            .register("dpo", OnlineDpo::fromConfig, s -> s)
            .register(RAFT, Raft::fromConfig, s -> s)
            .register(PRO, Pro::fromConfig, s -> s)
            .register(GspoLoss.NAME, learner -> PolicyGradient.withLoss(learner, GspoLoss.NAME), s -> s)
            .register(CispoLoss.NAME, learner -> PolicyGradient.withLoss(learner, CispoLoss.NAME), s -> s)
            // the preference family on the online-DPO loop
            .register(LCPO, Lcpo::fromConfig, Lcpo::pairwiseOnly)
            .register(APO, Apo::fromConfig, s -> s)
            .register(REWARD_AUGMENTED, RewardAugmented::fromConfig, s -> s);

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
        return this instanceof OnlineDpo || this instanceof Lcpo || this instanceof Apo || this instanceof RewardAugmented;
    }

    /**
     * The engine for a learner that has the policy's tokenizer (the local run and a cluster's
     * learner node); only algorithms that render text into prompts read it.
     */
    default LearnerEngine engine(TrainablePolicy policy, LearnerSettings settings, List<Objective> objectives,
            NDManager manager, TextTokenizer tokenizer) {
        return engine(policy, settings, objectives, manager);
    }

    /** Fewest samples per prompt the algorithm can learn from: 2 when it compares them (pairs, rankings). */
    default int minGroupSize() {
        return onlineDpo() || this instanceof Pro ? 2 : 1;
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
     * {@link LearnerSettings} pick GRPO, RLOO, REINFORCE++, GAE, ….
     *
     * @param policyLoss the loss the algorithm's name fixes ({@code gspo}, {@code cispo}), over
     *     {@code policy-loss.loss}; empty = that key decides
     */
    record PolicyGradient(Optional<PolicyLossSettings> policyLoss) implements LearnerAlgorithm {
        static PolicyGradient fromConfig(ConfigReader learner) {
            return new PolicyGradient(Optional.empty());
        }

        /** Policy gradient with the {@code policy-loss} block read for loss {@code loss}. */
        static PolicyGradient withLoss(ConfigReader learner, String loss) {
            return new PolicyGradient(Optional.of(PolicyLossSettings.fromConfig(learner.block("policy-loss"), loss)));
        }

        @Override
        public String name() {
            return POLICY_GRADIENT;
        }

        @Override
        public LearnerEngine engine(TrainablePolicy policy, LearnerSettings settings, List<Objective> objectives,
                NDManager manager) {
            return new RlLearnerEngine(policy, policyLoss.map(settings::withPolicyLoss).orElse(settings), objectives,
                    manager);
        }
    }

    /**
     * Online DPO (ALGORITHMS.md §5): pairs within each prompt's group, trained by a preference loss.
     *
     * @param preference loss and hyperparameters ({@code troupe.learner.preference})
     * @param minRewardGap a group whose scalar rewards span at most this gives no pair
     *     ({@code troupe.learner.preference.min-reward-gap}), ≥ 0
     * @param entanglementEvery the gradient-entanglement cosine every this many steps
     *     ({@code troupe.learner.preference.entanglement-every}); 0 = never
     */
    record OnlineDpo(PreferenceSettings preference, double minRewardGap, int entanglementEvery)
            implements LearnerAlgorithm {
        public OnlineDpo {
            if (!(minRewardGap >= 0)) {
                throw new IllegalArgumentException("minimum reward gap must be >= 0, got " + minRewardGap);
            }
        }

        /** Without the gradient-entanglement metric. */
        public OnlineDpo(PreferenceSettings preference, double minRewardGap) {
            this(preference, minRewardGap, 0);
        }

        static OnlineDpo fromConfig(ConfigReader learner) {
            ConfigReader block = learner.block("preference");
            return new OnlineDpo(PreferenceSettings.fromConfig(block), block.doubleIn("min-reward-gap", 0, 1e6),
                    block.intIn("entanglement-every", 0, 1_000_000));
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

    /**
     * RAFT (ALGORITHMS.md §10): SFT on the best samples of each batch ({@code troupe.learner.raft}).
     *
     * @param rule which samples are kept
     */
    record Raft(RaftSelection.Rule rule) implements LearnerAlgorithm {
        static Raft fromConfig(ConfigReader learner) {
            ConfigReader r = learner.block("raft");
            return new Raft(new RaftSelection.Rule(r.enumOf("selection", RaftSelection.Mode.class),
                    r.doubleAbove("fraction", 0, 1), r.doubleIn("threshold", -1e12, 1e12)));
        }

        @Override
        public String name() {
            return RAFT;
        }

        @Override
        public LearnerEngine engine(TrainablePolicy policy, LearnerSettings settings, List<Objective> objectives,
                NDManager manager) {
            return new RaftEngine(policy, settings, this, objectives, manager);
        }
    }

    /**
     * PRO (ALGORITHMS.md §10): listwise ranking of each group ({@code troupe.learner.pro}).
     *
     * @param dynamicTemperature scale each exponent by reward gaps (the authors' code)
     * @param sftBeta β of the SFT term β·(n−1)²·NLL_sum(y_1), ≥ 0
     */
    record Pro(boolean dynamicTemperature, double sftBeta) implements LearnerAlgorithm {
        static Pro fromConfig(ConfigReader learner) {
            ConfigReader r = learner.block("pro");
            return new Pro(r.bool("dynamic-temperature"), r.doubleIn("sft-beta", 0, 1e6));
        }

        @Override
        public String name() {
            return PRO;
        }

        @Override
        public LearnerEngine engine(TrainablePolicy policy, LearnerSettings settings, List<Objective> objectives,
                NDManager manager) {
            return new ProEngine(policy, settings, this, objectives, manager);
        }
    }

    /**
     * LCPO (arXiv 2509.24159, ALGORITHMS.md §10): online DPO whose pair loss is the EM M-step around
     * {@code troupe.learner.preference.loss}, with a running label-noise estimate ({@link LcpoEngine}).
     *
     * @param pairs the online-DPO pairing and the wrapped loss ({@code troupe.learner.preference})
     * @param initialEpsilon ε₀ = 1 − η₀ ({@code troupe.learner.lcpo.initial-epsilon}), [0, 1)
     * @param decay of the EMA η ← decay·η + (1 − decay)·mean w ({@code troupe.learner.lcpo.eta-decay}), [0, 1]
     */
    record Lcpo(OnlineDpo pairs, double initialEpsilon, double decay) implements LearnerAlgorithm {
        static Lcpo fromConfig(ConfigReader learner) {
            ConfigReader block = learner.block("lcpo");
            return new Lcpo(OnlineDpo.fromConfig(learner), block.doubleIn("initial-epsilon", 0, 0.999),
                    block.doubleIn("eta-decay", 0, 1));
        }

        /** Built only when chosen: KTO is no pairwise loss (other algorithms may use it). */
        static Lcpo pairwiseOnly(Lcpo s) {
            if ("kto".equals(s.pairs().preference().loss())) {
                throw SettingsException.because("troupe.learner.preference.loss",
                        "lcpo wraps a pairwise loss (dpo, cdpo, rdpo, ipo, simpo); kto scores single responses");
            }
            return s;
        }

        @Override
        public String name() {
            return LCPO;
        }

        @Override
        public LearnerEngine engine(TrainablePolicy policy, LearnerSettings settings, List<Objective> objectives,
                NDManager manager) {
            return new LcpoEngine(policy, settings, this, objectives, manager);
        }
    }

    /**
     * APO (arXiv 2410.06293, ALGORITHMS.md §10): iterations of online DPO against an anchor, then
     * the extrapolated weights become policy and reference ({@link ApoEngine}).
     *
     * @param alpha the momentum α ({@code troupe.learner.apo.alpha}), ≥ 0; 0 = iterative DPO
     * @param iterationSteps learner steps per iteration ({@code troupe.learner.apo.iteration-steps}), ≥ 1
     */
    record Apo(OnlineDpo pairs, double alpha, int iterationSteps) implements LearnerAlgorithm {
        static Apo fromConfig(ConfigReader learner) {
            ConfigReader block = learner.block("apo");
            return new Apo(OnlineDpo.fromConfig(learner), block.doubleIn("alpha", 0, 10),
                    block.intIn("iteration-steps", 1, 1_000_000));
        }

        @Override
        public String name() {
            return APO;
        }

        @Override
        public LearnerEngine engine(TrainablePolicy policy, LearnerSettings settings, List<Objective> objectives,
                NDManager manager) {
            return new ApoEngine(policy, settings, this, objectives, manager);
        }
    }

    /**
     * Reward-augmented pairs (arXiv 2410.08067, ALGORITHMS.md §10): each on-policy pair becomes two
     * target-conditioned pairs ({@link RewardAugmentedEngine}); generation is conditioned on
     * {@code generationTarget} ({@link ConditionedPromptSource}).
     *
     * @param conditioning template and decimals ({@code troupe.learner.reward-augmented.{template, decimals}})
     * @param objective the objective whose raw score is the target; empty = the scalarised reward
     * @param generationTarget the score generation is conditioned on (the best the reward gives)
     */
    record RewardAugmented(OnlineDpo pairs, troupe.core.algo.preference.RewardConditioning conditioning,
            String objective, double generationTarget) implements LearnerAlgorithm {
        static RewardAugmented fromConfig(ConfigReader learner) {
            ConfigReader block = learner.block("reward-augmented");
            troupe.core.algo.preference.RewardConditioning c;
            try {
                c = new troupe.core.algo.preference.RewardConditioning(block.string("template"),
                        block.intIn("decimals", 0, 6));
            } catch (IllegalArgumentException e) {
                throw SettingsException.because(block.key("template"), e.getMessage());
            }
            return new RewardAugmented(OnlineDpo.fromConfig(learner), c, block.string("objective"),
                    block.doubleIn("generation-target", -1e9, 1e9));
        }

        @Override
        public String name() {
            return REWARD_AUGMENTED;
        }

        @Override
        public LearnerEngine engine(TrainablePolicy policy, LearnerSettings settings, List<Objective> objectives,
                NDManager manager) {
            throw new IllegalStateException("reward-augmented renders targets into prompts: build it with the tokenizer");
        }

        @Override
        public LearnerEngine engine(TrainablePolicy policy, LearnerSettings settings, List<Objective> objectives,
                NDManager manager, TextTokenizer tokenizer) {
            return new RewardAugmentedEngine(policy, settings, this, objectives, manager, tokenizer);
        }

        /** The run's prompts conditioned on the generation target. */
        public troupe.core.engine.PromptSource conditionedPrompts(troupe.core.engine.PromptSource prompts,
                TextTokenizer tokenizer) {
            return new ConditionedPromptSource(prompts, conditioning, generationTarget, tokenizer);
        }
    }
}
