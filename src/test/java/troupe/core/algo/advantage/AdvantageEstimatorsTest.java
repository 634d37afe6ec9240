package troupe.core.algo.advantage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdvantageEstimatorsTest {

    @Test
    void registryHoldsEveryDocumentedEstimator() {
        assertEquals(List.of("gae", "grpo", "dr-grpo", "rloo", "reinforce++", "reinforce++-baseline", "remax"),
                AdvantageEstimators.names());
    }

    @Test
    void unknownEstimatorFailsListingSupportedNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AdvantageEstimators.create("ppo", AdvantageSettings.DEFAULTS));
        assertTrue(e.getMessage().contains("Unknown advantage estimator 'ppo'"), e.getMessage());
        assertTrue(e.getMessage().contains("gae, grpo, dr-grpo, rloo, reinforce++, reinforce++-baseline, remax"));
    }

    @Test
    void settingsComeFromConfigWithDefaults() {
        AdvantageSettings s = AdvantageSettings.fromConfig(ConfigFactory.parseString(
                "estimator = rloo, lambda = 0.95, grpo-std = population"));
        assertEquals("rloo", s.estimator());
        assertEquals(0.95, s.lambda(), 0);
        assertEquals(AdvantageSettings.DEFAULTS.grpoEpsilon(), s.grpoEpsilon(), 0);
        assertTrue(AdvantageEstimators.create(s) instanceof RlooEstimator);
    }

    @Test
    void nanRewardIsRejectedWithItsIndex() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AdvantageInput.outcome(new double[] {1, Double.NaN}, new int[] {0, 0}, new double[][] {{1}, {1}}));
        assertEquals("scores contains NaN at [1]", e.getMessage());
    }

    @Test
    void whiteningASingleTokenBatchFails() {
        assertThrows(IllegalArgumentException.class, () -> AdvantageEstimators.create("reinforce++", AdvantageSettings.DEFAULTS)
                .compute(AdvantageInput.outcome(new double[] {1}, new int[] {0}, new double[][] {{1, 0}})));
    }
}
