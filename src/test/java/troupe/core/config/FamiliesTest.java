package troupe.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import troupe.core.TestSettings;
import troupe.core.algo.advantage.AdvantageEstimators;
import troupe.core.algo.advantage.GaeEstimator;
import troupe.core.algo.advantage.GrpoEstimator;
import troupe.core.algo.advantage.ReinforcePlusPlusBaselineEstimator;
import troupe.core.algo.advantage.ReinforcePlusPlusEstimator;
import troupe.core.algo.advantage.RemaxEstimator;
import troupe.core.algo.advantage.RlooEstimator;
import troupe.core.algo.kl.KlController;
import troupe.core.algo.kl.KlControllers;
import troupe.core.algo.kl.KlEstimator;
import troupe.core.algo.kl.KlEstimators;
import troupe.core.algo.policy.CispoLoss;
import troupe.core.algo.policy.GspoLoss;
import troupe.core.algo.policy.PgLoss;
import troupe.core.algo.policy.PolicyLosses;
import troupe.core.algo.policy.PpoClipLoss;
import troupe.core.algo.preference.DpoLoss;
import troupe.core.algo.preference.IpoLoss;
import troupe.core.algo.preference.KtoLoss;
import troupe.core.algo.preference.PreferenceLosses;
import troupe.core.algo.preference.RobustDpoLoss;
import troupe.core.algo.preference.SimpoLoss;
import com.typesafe.config.ConfigFactory;
import troupe.core.reward.Direction;
import troupe.core.reward.FormatScorer;
import troupe.core.reward.LengthScorer;
import troupe.core.reward.RepetitionScorer;
import troupe.core.reward.RewardScorer;
import troupe.core.reward.RewardTransform;
import troupe.core.reward.ScorerRegistry;
import troupe.core.reward.rules.ExactMatchRule;
import troupe.core.reward.rules.JsonRule;
import troupe.core.reward.rules.NumericRule;
import troupe.core.rl.LearnerAlgorithm;
import troupe.core.task.ArithmeticTask;
import troupe.core.task.ReverseTask;
import troupe.core.task.TaskRegistry;
import troupe.core.task.TaskVerifierScorer;
import troupe.core.reward.Objective;
import troupe.core.weighting.FixedLinearStrategy;
import troupe.core.weighting.GdpoStrategy;
import troupe.core.weighting.HypervolumeGuidedStrategy;
import troupe.core.weighting.MaxMinStrategy;
import troupe.core.weighting.MirrorDescentStrategy;
import troupe.core.weighting.WeightingStrategies;
import troupe.core.weighting.WeightingStrategy;

/**
 * Every pluggable family resolves through its registry: the members are the documented ones, in
 * registration order, and each builds from the default config of reference.conf into the right
 * type. A family gets one test: its expected members and what each builds.
 */
class FamiliesTest {

    /** Asserts the family's names are exactly {@code expected}'s keys and each builds an instance of its class. */
    private static void assertFamily(List<String> names, Function<String, Object> build, Map<String, Class<?>> expected) {
        assertEquals(List.copyOf(expected.keySet()), names);
        for (Map.Entry<String, Class<?>> e : expected.entrySet()) {
            assertInstanceOf(e.getValue(), build.apply(e.getKey()), e.getKey());
        }
    }

    private static Map<String, Class<?>> members(Object... nameThenClass) {
        Map<String, Class<?>> out = new LinkedHashMap<>();
        for (int i = 0; i < nameThenClass.length; i += 2) {
            out.put((String) nameThenClass[i], (Class<?>) nameThenClass[i + 1]);
        }
        return out;
    }

    @Test
    void advantageEstimators() {
        assertFamily(AdvantageEstimators.REGISTRY.names(),
                n -> AdvantageEstimators.REGISTRY.create(n, TestSettings.learner("advantage")),
                members("gae", GaeEstimator.class, "grpo", GrpoEstimator.class, "dr-grpo", GrpoEstimator.class,
                        "rloo", RlooEstimator.class, "reinforce++", ReinforcePlusPlusEstimator.class,
                        "reinforce++-baseline", ReinforcePlusPlusBaselineEstimator.class, "remax", RemaxEstimator.class));
    }

    @Test
    void policyLosses() {
        assertFamily(PolicyLosses.REGISTRY.names(),
                n -> PolicyLosses.REGISTRY.create(n, TestSettings.learner("policy-loss")),
                members("ppo-clip", PpoClipLoss.class, "pg", PgLoss.class, "gspo", GspoLoss.class,
                        "cispo", CispoLoss.class));
    }

    @Test
    void preferenceLosses() {
        assertFamily(PreferenceLosses.REGISTRY.names(),
                n -> PreferenceLosses.REGISTRY.create(n, TestSettings.learner("preference")),
                members("dpo", DpoLoss.class, "cdpo", DpoLoss.class, "rdpo", RobustDpoLoss.class, "ipo", IpoLoss.class,
                        "simpo", SimpoLoss.class, "kto", KtoLoss.class));
    }

    @Test
    void klEstimators() {
        assertFamily(KlEstimators.names(), n -> KlEstimators.create(n, TestSettings.learner("kl")),
                members("k1", KlEstimator.K1.class, "k2", KlEstimator.K2.class, "k3", KlEstimator.K3.class,
                        "abs", KlEstimator.Abs.class));
        for (String n : KlEstimators.names()) {
            assertEquals(n, KlEstimators.create(n, TestSettings.learner("kl")).name());
        }
        assertEquals(new KlEstimator.K3(20, 10), KlEstimators.create("k3", TestSettings.learner("kl")), "verl's clamps");
    }

    @Test
    void klControllers() {
        assertFamily(KlControllers.names(), n -> KlControllers.create(n, TestSettings.learner("kl-controller")),
                members("fixed", KlController.Fixed.class, "adaptive", KlController.Adaptive.class));
        for (String n : KlControllers.names()) {
            KlController c = KlControllers.create(n, TestSettings.learner("kl-controller"));
            assertEquals(n, c.name());
            assertEquals(0.001, c.beta(), 0, "verl's kl_loss_coef");
        }
    }

    @Test
    void weightingStrategies() {
        List<Objective> objectives = List.of(new Objective("correctness", Direction.MAXIMIZE),
                new Objective("brevity", Direction.MINIMIZE));
        Function<String, Object> build = n -> WeightingStrategies.create(n, TestSettings.learner("weighting." + n),
                TestSettings.weighting().simplex(), objectives);
        assertFamily(WeightingStrategies.names(), build,
                members("fixed-linear", FixedLinearStrategy.class, "gdpo", GdpoStrategy.class,
                        "hypervolume", HypervolumeGuidedStrategy.class, "mirror-descent", MirrorDescentStrategy.class,
                        "maxmin", MaxMinStrategy.class, "soft-maxmin", MaxMinStrategy.class));
        for (String n : WeightingStrategies.names()) {
            WeightingStrategy s = (WeightingStrategy) build.apply(n);
            assertEquals(n, s.name());
            assertEquals(0.95, s.weights().get("correctness"), 1e-12, "the shared initial weights");
        }
        WeightingStrategy configured = TestSettings.weighting().create(objectives);
        assertEquals("hypervolume", configured.name(), "reference.conf's strategy");
    }

    @Test
    void learnerAlgorithms() {
        ConfigReader learner = ConfigReader.at(TestSettings.REFERENCE, "troupe.learner");
        assertFamily(LearnerAlgorithm.REGISTRY.names(), n -> LearnerAlgorithm.REGISTRY.create(n, learner),
                members("policy-gradient", LearnerAlgorithm.PolicyGradient.class,
                        "online-dpo", LearnerAlgorithm.OnlineDpo.class,
                        "grpo", LearnerAlgorithm.PolicyGradient.class,
                        "dpo", LearnerAlgorithm.OnlineDpo.class,
                        "raft", LearnerAlgorithm.Raft.class,
                        "pro", LearnerAlgorithm.Pro.class,
                        "gspo", LearnerAlgorithm.PolicyGradient.class,
                        "cispo", LearnerAlgorithm.PolicyGradient.class,
                        // the preference family
                        "lcpo", LearnerAlgorithm.Lcpo.class,
                        "apo", LearnerAlgorithm.Apo.class,
                        "reward-augmented", LearnerAlgorithm.RewardAugmented.class));
        assertEquals("policy-gradient", LearnerAlgorithm.fromConfig(TestSettings.REFERENCE).name(), "reference.conf's");
    }

    @Test
    void tasks() {
        assertFamily(TaskRegistry.names(), TaskRegistry::get,
                members("arithmetic", ArithmeticTask.class, "reverse", ReverseTask.class));
    }

    @Test
    void rewardTransforms() {
        assertEquals(List.of("calibration"), RewardTransform.REGISTRY.names());
        RewardTransform calibration = RewardTransform.fromConfig("calibration", TestSettings.REFERENCE);
        assertEquals(2, calibration.apply(new double[] {0.1, 0.9}, new double[] {0.2, 0.5, 0.8}).length);
    }

    /**
     * The built-in scorers of this module's service file, each from its reference.conf defaults;
     * {@code format} has no default pattern and {@code learned-rm} and {@code llm-judge} need a model folder, so they
     * get the one key they require (both are checked to fail naming it).
     */
    @Test
    void rewardScorers() {
        ScorerRegistry scorers = ScorerRegistry.fromClasspath().withDefaultsOf(TestSettings.REFERENCE);
        assertEquals(List.of("code-execution", "exact-match", "format", "json", "learned-rm", "length", "llm-judge",
                "numeric", "regex", "repetition", "task-verifier"),
                scorers.names().stream().sorted().toList());
        Map<String, Class<?>> expected = members("length", LengthScorer.class, "repetition", RepetitionScorer.class,
                "task-verifier", TaskVerifierScorer.class, "exact-match", ExactMatchRule.class, "numeric",
                NumericRule.class, "json", JsonRule.class, "code-execution",
                troupe.core.reward.code.CodeExecutionScorer.class);
        expected.forEach((n, type) -> assertInstanceOf(type, scorers.create(n, ConfigFactory.empty()), n));
        RewardScorer format = scorers.create("format", ConfigFactory.parseString("pattern = \"[a-z]+\""));
        assertInstanceOf(FormatScorer.class, format);
        SettingsException noModel = org.junit.jupiter.api.Assertions.assertThrows(SettingsException.class,
                () -> scorers.create("learned-rm", ConfigFactory.empty()));
        org.junit.jupiter.api.Assertions.assertTrue(noModel.getMessage().contains("learned-rm")
                || noModel.getMessage().contains("model"), noModel.getMessage());
        SettingsException noJudge = org.junit.jupiter.api.Assertions.assertThrows(SettingsException.class,
                () -> scorers.create("llm-judge", ConfigFactory.empty()));
        assertEquals("scorer 'llm-judge'.model", noJudge.key(), noJudge.getMessage());
    }
}
