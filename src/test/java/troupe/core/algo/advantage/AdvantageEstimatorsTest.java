package troupe.core.algo.advantage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;
import troupe.core.TestSettings;
import troupe.core.config.ConfigReader;
import troupe.core.config.SettingsException;

class AdvantageEstimatorsTest {

    @Test
    void registryHoldsEveryDocumentedEstimator() {
        assertEquals(List.of("gae", "grpo", "dr-grpo", "rloo", "reinforce++", "reinforce++-baseline", "remax"),
                AdvantageEstimators.REGISTRY.names());
    }

    @Test
    void unknownEstimatorFailsListingSupportedNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AdvantageEstimators.create("ppo", TestSettings.advantage()));
        assertTrue(e.getMessage().contains("unknown advantage estimator 'ppo'"), e.getMessage());
        assertTrue(e.getMessage().contains("gae, grpo, dr-grpo, rloo, reinforce++, reinforce++-baseline, remax"));
    }

    @Test
    void settingsComeFromConfigOverTheReferenceDefaults() {
        AdvantageSettings s = AdvantageSettings.fromConfig(ConfigReader.of(ConfigFactory.parseString(
                "estimator = rloo, lambda = 0.95, grpo-std = population")
                .withFallback(TestSettings.learner("advantage").raw()), "troupe.learner.advantage"));
        assertEquals("rloo", s.estimator());
        assertEquals(0.95, s.lambda(), 0);
        assertEquals(1e-6, s.grpoEpsilon(), 0);
        assertTrue(AdvantageEstimators.create(s) instanceof RlooEstimator);
    }

    @Test
    void unknownEstimatorInConfigNamesTheKeyAndTheSupportedNames() {
        SettingsException e = assertThrows(SettingsException.class, () -> AdvantageSettings.fromConfig(
                ConfigReader.of(ConfigFactory.parseString("estimator = ppo").withFallback(
                        TestSettings.learner("advantage").raw()), "troupe.learner.advantage")));
        assertEquals("troupe.learner.advantage.estimator", e.key());
        assertTrue(e.getMessage().contains("[gae, grpo, dr-grpo, rloo, reinforce++, reinforce++-baseline, remax]"),
                e.getMessage());
    }

    @Test
    void aMissingKeyIsAnErrorNamingIt() {
        SettingsException e = assertThrows(SettingsException.class, () -> AdvantageSettings.fromConfig(
                ConfigReader.of(TestSettings.learner("advantage").raw().withoutPath("gamma"), "troupe.learner.advantage")));
        assertEquals("troupe.learner.advantage.gamma", e.key());
    }

    @Test
    void nanRewardIsRejectedWithItsIndex() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AdvantageInput.outcome(new double[] {1, Double.NaN}, new int[] {0, 0}, new double[][] {{1}, {1}}));
        assertEquals("scores contains NaN at [1]", e.getMessage());
    }

    @Test
    void whiteningASingleTokenBatchFails() {
        assertThrows(IllegalArgumentException.class, () -> AdvantageEstimators.create("reinforce++", TestSettings.advantage())
                .compute(AdvantageInput.outcome(new double[] {1}, new int[] {0}, new double[][] {{1, 0}})));
    }
}
