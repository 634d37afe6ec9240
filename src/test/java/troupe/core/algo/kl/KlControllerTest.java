package troupe.core.algo.kl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;
import troupe.core.TestSettings;
import troupe.core.config.ConfigReader;
import troupe.core.config.SettingsException;

class KlControllerTest {

    /** Ziegler et al.'s example: adaptive, β₀ = 0.1, target 6, horizon 10000. */
    private static final KlControllerSettings ZIEGLER = new KlControllerSettings("adaptive", 0.1, 6, 10_000);

    @Test
    void adaptiveControllerRaisesBetaWhenKlIsAboveTarget() {
        assertEquals(0.100512, KlControllers.create(ZIEGLER).update(8, 256).beta(), 1e-12);
    }

    @Test
    void adaptiveControllerLowersBetaWhenKlIsBelowTarget() {
        assertEquals(0.099488, KlControllers.create(ZIEGLER).update(3, 256).beta(), 1e-12);
    }

    @Test
    void fixedControllerNeverChanges() {
        KlController fixed = KlControllers.create(TestSettings.klController());
        assertEquals(0.001, fixed.update(100, 256).beta(), 0);
    }

    @Test
    void stateRoundTripsThroughCheckpointRecord() {
        KlController c = KlControllers.create(ZIEGLER).update(8, 256).update(8, 256);
        KlControllerState state = c.state();
        assertEquals(new KlControllerState("adaptive", c.beta()), state);
        KlController resumed = KlControllers.restore(ZIEGLER, state);
        assertEquals(c.update(7, 128).beta(), resumed.update(7, 128).beta(), 0);
        assertThrows(IllegalArgumentException.class, () -> KlControllers.restore(TestSettings.klController(), state));
    }

    @Test
    void settingsReadFromConfigWithDocumentedDefaults() {
        KlControllerSettings s = KlControllerSettings.fromConfig(over("kl-controller",
                "type = adaptive, kl-coef = 0.2, target-kl = 6"));
        assertEquals(new KlControllerSettings("adaptive", 0.2, 6, 10_000), s);
        assertEquals(new KlControllerSettings("fixed", 0.001, 0.1, 10_000), TestSettings.klController());
        KlSettings kl = KlSettings.fromConfig(over("kl", "loss-estimator = low_var_kl, k3-clamp = inf"));
        assertEquals(Double.POSITIVE_INFINITY, kl.k3Clamp(), 0);
        assertEquals("k3", kl.lossEstimator());
        SettingsException e = assertThrows(SettingsException.class,
                () -> KlControllerSettings.fromConfig(over("kl-controller", "type = pid")));
        assertEquals("troupe.learner.kl-controller.type", e.key());
        assertTrue(e.getMessage().contains("[fixed, adaptive]"), e.getMessage());
    }

    /** The reference block {@code troupe.learner.<block>} with {@code hocon} over it. */
    private static ConfigReader over(String block, String hocon) {
        return ConfigReader.of(ConfigFactory.parseString(hocon).withFallback(TestSettings.learner(block).raw()),
                "troupe.learner." + block);
    }
}
