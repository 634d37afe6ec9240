package troupe.core.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;
import troupe.core.TestSettings;
import troupe.core.config.ConfigReader;
import troupe.core.config.SettingsException;

class OptimizerSettingsTest {

    @Test
    void supervisedCommandsUseNanoGptsAdamWFromReferenceConf() {
        assertEquals(new OptimizerSettings(6e-4, 0.9, 0.95, 1e-8, 0.1, 1.0, 0, 0, 0.1), OptimizerSettings.defaults());
    }

    @Test
    void theLearnersBlockDecaysOverTheRunOnlyWhenAsked() {
        assertEquals(new OptimizerSettings(3e-4, 0.9, 0.99, 1e-8, 0.0, 1.0, 0, 0, 0.1), TestSettings.optimizer(500));
        OptimizerSettings cosine = OptimizerSettings.fromConfig(ConfigReader.of(ConfigFactory.parseString(
                "cosine-decay = true").withFallback(TestSettings.learner("optimizer").raw()), "troupe.learner.optimizer"), 500);
        assertEquals(500, cosine.totalSteps());
    }

    @Test
    void anOutOfRangeValueNamesTheKey() {
        SettingsException e = assertThrows(SettingsException.class, () -> OptimizerSettings.fromConfig(ConfigReader.of(
                ConfigFactory.parseString("beta2 = 1").withFallback(TestSettings.learner("optimizer").raw()),
                "troupe.learner.optimizer"), 10));
        assertEquals("troupe.learner.optimizer.beta2", e.key());
    }
}
