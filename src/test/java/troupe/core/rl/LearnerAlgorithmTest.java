package troupe.core.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import troupe.core.config.SettingsException;
import troupe.core.engine.LearnerEngine;
import troupe.core.model.CausalLms;
import troupe.core.model.train.TrainablePolicy;

class LearnerAlgorithmTest {

    private static Config withAlgorithm(String name, String more) {
        return ConfigFactory.parseString("troupe.learner.algorithm = " + name + "\n" + more)
                .withFallback(RlLoopFixture.config("fixed-linear", 1e-3)).resolve();
    }

    @Test
    void registryListsEveryAlgorithmAndBuildsEachEngineFromTheDefaultConfig() {
        assertEquals(List.of("policy-gradient", "online-dpo", "lcpo", "apo", "reward-augmented"),
                LearnerAlgorithm.REGISTRY.names());
        Map<String, Class<?>> engines = Map.of("policy-gradient", RlLearnerEngine.class,
                "online-dpo", OnlineDpoEngine.class,
                "lcpo", LcpoEngine.class, "apo", ApoEngine.class, "reward-augmented", RewardAugmentedEngine.class);
        try (NDManager manager = NDManager.newBaseManager()) {
            for (String name : LearnerAlgorithm.REGISTRY.names()) {
                Config config = withAlgorithm(name, "");
                LearnerSettings settings = LearnerSettings.fromConfig(config, 10);
                LearnerAlgorithm algorithm = LearnerAlgorithm.fromConfig(config);
                assertEquals(name, algorithm.name());
                LearnerEngine engine = algorithm.engine(new TrainablePolicy(
                        CausalLms.random(RlLoopFixture.CONFIG, manager, 5), null, settings.optimizer(), manager),
                        settings, List.of(RlLoopFixture.LOW_BYTES.objective()), manager,
                        new troupe.core.model.hf.ByteTokenizer());
                assertInstanceOf(engines.get(name), engine);
                assertEquals(0, engine.policyVersion());
                assertEquals(List.of(RlLoopFixture.LOW_BYTES.objective()), engine.objectives());
                LearnerEngines.close(engine);
            }
        }
    }

    @Test
    void onlineDpoReadsItsPreferenceBlock() {
        LearnerAlgorithm.OnlineDpo dpo = assertInstanceOf(LearnerAlgorithm.OnlineDpo.class, LearnerAlgorithm.fromConfig(
                withAlgorithm("online-dpo", "troupe.learner.preference { loss = ipo, beta = 0.3, min-reward-gap = 0.2 }")));
        assertEquals("ipo", dpo.preference().loss());
        assertEquals(0.3, dpo.preference().beta(), 0);
        assertEquals(0.2, dpo.minRewardGap(), 0);
        assertTrue(dpo.onlineDpo());
        assertEquals(false, LearnerAlgorithm.fromConfig(withAlgorithm("policy-gradient", "")).onlineDpo());
    }

    @Test
    void anUnknownAlgorithmNamesTheKeyAndListsTheMembers() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> LearnerAlgorithm.fromConfig(withAlgorithm("raft", "")));
        assertEquals("troupe.learner.algorithm", e.key());
        assertTrue(e.getMessage().contains("policy-gradient") && e.getMessage().contains("online-dpo"), e.getMessage());
        SettingsException gap = assertThrows(SettingsException.class, () -> LearnerAlgorithm.fromConfig(
                withAlgorithm("online-dpo", "troupe.learner.preference.min-reward-gap = -1")));
        assertEquals("troupe.learner.preference.min-reward-gap", gap.key());
    }
}
