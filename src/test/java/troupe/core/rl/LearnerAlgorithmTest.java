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
        assertEquals(List.of("policy-gradient", "online-dpo", "grpo", "dpo", "raft", "pro", "gspo", "cispo",
                "lcpo", "apo", "reward-augmented"), LearnerAlgorithm.REGISTRY.names());
        Map<String, Class<?>> engines = Map.of("policy-gradient", RlLearnerEngine.class,
                "online-dpo", OnlineDpoEngine.class, "raft", RaftEngine.class, "pro", ProEngine.class,
                "lcpo", LcpoEngine.class, "apo", ApoEngine.class, "reward-augmented", RewardAugmentedEngine.class);
        // an alias or a policy-loss name is the algorithm it stands for
        Map<String, String> canonical = Map.of("grpo", "policy-gradient", "dpo", "online-dpo",
                "gspo", "policy-gradient", "cispo", "policy-gradient");
        try (NDManager manager = NDManager.newBaseManager()) {
            for (String name : LearnerAlgorithm.REGISTRY.names()) {
                Config config = withAlgorithm(name, "");
                LearnerSettings settings = LearnerSettings.fromConfig(config, 10);
                LearnerAlgorithm algorithm = LearnerAlgorithm.fromConfig(config);
                assertEquals(canonical.getOrDefault(name, name), algorithm.name());
                LearnerEngine engine = algorithm.engine(new TrainablePolicy(
                        CausalLms.random(RlLoopFixture.CONFIG, manager, 5), null, settings.optimizer(), manager),
                        settings, List.of(RlLoopFixture.LOW_BYTES.objective()), manager,
                        new troupe.core.model.hf.ByteTokenizer());
                assertInstanceOf(engines.get(algorithm.name()), engine);
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
    void gspoAndCispoArePolicyGradientWithTheirLossAndClipWhateverPolicyLossLossSays() {
        for (String name : List.of("gspo", "cispo")) {
            LearnerAlgorithm.PolicyGradient pg = assertInstanceOf(LearnerAlgorithm.PolicyGradient.class,
                    LearnerAlgorithm.fromConfig(withAlgorithm(name, "troupe.learner.policy-loss.loss = ppo-clip")));
            assertEquals(name, pg.policyLoss().orElseThrow().loss());
        }
        LearnerAlgorithm.PolicyGradient gspo = (LearnerAlgorithm.PolicyGradient) LearnerAlgorithm.fromConfig(
                withAlgorithm("gspo", "troupe.learner.policy-loss.gspo.clip-high = 5e-4"));
        assertEquals(3e-4, gspo.policyLoss().orElseThrow().clipLow(), 0);
        assertEquals(5e-4, gspo.policyLoss().orElseThrow().clipHigh(), 0);
        assertEquals(1.0, ((LearnerAlgorithm.PolicyGradient) LearnerAlgorithm.fromConfig(withAlgorithm("cispo", "")))
                .policyLoss().orElseThrow().clipLow(), 0, "no lower clip");
        // the loss key alone selects them too, with the same clip block
        Config byKey = withAlgorithm("policy-gradient", "troupe.learner.policy-loss.loss = gspo");
        assertEquals(LearnerSettings.fromConfig(byKey, 10).policyLoss(),
                ((LearnerAlgorithm.PolicyGradient) LearnerAlgorithm.fromConfig(withAlgorithm("gspo", "")))
                        .policyLoss().orElseThrow());
        assertTrue(((LearnerAlgorithm.PolicyGradient) LearnerAlgorithm.fromConfig(withAlgorithm("grpo", "")))
                .policyLoss().isEmpty());
    }

    @Test
    void raftAndProReadTheirBlocksAndProNeedsGroups() {
        LearnerAlgorithm.Raft raft = assertInstanceOf(LearnerAlgorithm.Raft.class, LearnerAlgorithm.fromConfig(
                withAlgorithm("raft", "troupe.learner.raft { selection = top-fraction, fraction = 0.5 }")));
        assertEquals(troupe.core.algo.ranking.RaftSelection.Mode.TOP_FRACTION, raft.rule().mode());
        assertEquals(0.5, raft.rule().fraction(), 0);
        assertEquals(1, raft.minGroupSize());
        LearnerAlgorithm.Pro pro = assertInstanceOf(LearnerAlgorithm.Pro.class, LearnerAlgorithm.fromConfig(
                withAlgorithm("pro", "troupe.learner.pro.dynamic-temperature = true")));
        assertTrue(pro.dynamicTemperature());
        assertEquals(0.05, pro.sftBeta(), 0);
        assertEquals(2, pro.minGroupSize());
        // a bad value in a block the run does not use is still caught
        SettingsException e = assertThrows(SettingsException.class, () -> LearnerAlgorithm.fromConfig(
                withAlgorithm("policy-gradient", "troupe.learner.raft.selection = best")));
        assertEquals("troupe.learner.raft.selection", e.key());
        SettingsException f = assertThrows(SettingsException.class, () -> LearnerAlgorithm.fromConfig(
                withAlgorithm("raft", "troupe.learner.raft.fraction = 0")));
        assertEquals("troupe.learner.raft.fraction", f.key());
    }

    @Test
    void anUnknownAlgorithmNamesTheKeyAndListsTheMembers() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> LearnerAlgorithm.fromConfig(withAlgorithm("raft-2", "")));
        assertEquals("troupe.learner.algorithm", e.key());
        for (String member : List.of("policy-gradient", "online-dpo", "grpo", "dpo", "raft", "pro", "gspo", "cispo")) {
            assertTrue(e.getMessage().contains(member), e.getMessage());
        }
        SettingsException gap = assertThrows(SettingsException.class, () -> LearnerAlgorithm.fromConfig(
                withAlgorithm("online-dpo", "troupe.learner.preference.min-reward-gap = -1")));
        assertEquals("troupe.learner.preference.min-reward-gap", gap.key());
    }
}
