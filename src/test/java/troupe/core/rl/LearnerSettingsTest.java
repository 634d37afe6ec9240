package troupe.core.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;
import troupe.core.TestSettings;
import troupe.core.algo.kl.KlPlacement;
import troupe.core.config.SettingsException;
import troupe.core.weighting.HypervolumeGuidedStrategy;
import troupe.core.weighting.WeightingStrategies;

class LearnerSettingsTest {

    private static LearnerSettings read(String hocon) {
        return LearnerSettings.fromConfig(ConfigFactory.parseString(hocon).withFallback(TestSettings.REFERENCE).resolve(), 50);
    }

    private static SettingsException rejected(String hocon) {
        return assertThrows(SettingsException.class, () -> read(hocon));
    }

    @Test
    void referenceConfIsTheRunDefault() {
        LearnerSettings s = read("");
        assertEquals(TestSettings.advantage(), s.advantage());
        assertEquals("batch", s.advantage().grpoScale());
        assertEquals("token-truncate", s.importance().mode());
        assertEquals(0.28, s.policyLoss().clipHigh(), 0);
        assertEquals(KlPlacement.LOSS, s.klPlacement(), "auto with grpo");
        assertEquals("hypervolume", s.weighting().strategy());
        assertEquals(Map.of("correctness", 0.95, "brevity", 0.05), s.weighting().simplex().initialWeights());
        assertEquals(WeightingStrategies.names().size(), s.weighting().strategies().size());
        assertEquals(0, s.optimizer().totalSteps(), "no cosine decay by default");
        assertTrue(s.overlong().isEmpty() && s.dynamicSampling().isEmpty());
    }

    @Test
    void everyStrategyKeepsItsOwnConfiguredSettingsForASwitchMidRun() {
        LearnerSettings s = read("troupe.learner.weighting.hypervolume.gain = 2.5");
        var hv = (HypervolumeGuidedStrategy.Settings) s.weighting().strategies().get("hypervolume");
        assertEquals(2.5, hv.gain(), 0);
        assertEquals(HypervolumeGuidedStrategy.Rescale.REFERENCE, hv.rescale());
    }

    @Test
    void badValuesAreRejectedNamingTheFullKey() {
        assertEquals("troupe.learner.weighting.strategy", rejected("troupe.learner.weighting.strategy = magic").key());
        assertEquals("troupe.learner.weighting.gdpo.epz", rejected("troupe.learner.weighting.gdpo.epz = 1").key());
        assertEquals("troupe.learner.weighting.maxmin.temperature",
                rejected("troupe.learner.weighting.maxmin.temperature = -1").key());
        assertEquals("troupe.learner.policy-loss.clip-low", rejected("troupe.learner.policy-loss.clip-low = 1").key());
        assertEquals("troupe.learner.policy-loss.aggregation",
                rejected("troupe.learner.policy-loss.aggregation = mean").key());
        assertEquals("troupe.learner.kl.loss-estimator", rejected("troupe.learner.kl.loss-estimator = k4").key());
        assertEquals("troupe.learner.kl-controller.horizon", rejected("troupe.learner.kl-controller.horizon = 0").key());
        assertEquals("troupe.learner.importance-correction.mode",
                rejected("troupe.learner.importance-correction.mode = tis").key());
        assertEquals("troupe.learner.value-loss.clip", rejected("troupe.learner.value-loss.clip = 0").key());
        assertEquals("troupe.learner.overlong.buffer",
                rejected("troupe.learner.overlong { enabled = true, max-length = 8, buffer = 9 }").key());
        assertEquals("troupe.learner.advantage.grpo-scale", rejected("troupe.learner.advantage.grpo-scale = all").key());
        assertEquals("troupe.learner.optimizer.beta2", rejected("troupe.learner.optimizer.beta2 = 1").key());
    }

    @Test
    void anUnknownStrategyListsTheSupportedOnes() {
        SettingsException e = rejected("troupe.learner.weighting.strategy = magic");
        assertTrue(e.getMessage().contains(WeightingStrategies.names().toString()), e.getMessage());
    }
}
