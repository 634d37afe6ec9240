package troupe.core.algo.kl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

class KlControllerTest {

    private static final KlControllerSettings ZIEGLER = new KlControllerSettings("adaptive", 0.1, 6, 10_000);

    @Test
    void adaptiveControllerRaisesBetaWhenKlIsAboveTarget() {
        assertEquals(0.100512, KlController.create(ZIEGLER).update(8, 256).beta(), 1e-12);
    }

    @Test
    void adaptiveControllerLowersBetaWhenKlIsBelowTarget() {
        assertEquals(0.099488, KlController.create(ZIEGLER).update(3, 256).beta(), 1e-12);
    }

    @Test
    void fixedControllerNeverChanges() {
        KlController fixed = KlController.create(KlControllerSettings.DEFAULTS);
        assertEquals(0.001, fixed.update(100, 256).beta(), 0);
    }

    @Test
    void stateRoundTripsThroughCheckpointRecord() {
        KlController c = KlController.create(ZIEGLER).update(8, 256).update(8, 256);
        KlControllerState state = c.state();
        assertEquals(new KlControllerState("adaptive", c.beta()), state);
        KlController resumed = KlController.restore(ZIEGLER, state);
        assertEquals(c.update(7, 128).beta(), resumed.update(7, 128).beta(), 0);
        assertThrows(IllegalArgumentException.class, () -> KlController.restore(KlControllerSettings.DEFAULTS, state));
    }

    @Test
    void settingsReadFromConfigWithDocumentedDefaults() {
        KlControllerSettings s = KlControllerSettings.fromConfig(ConfigFactory.parseString("type = adaptive, kl-coef = 0.2, target-kl = 6"));
        assertEquals(new KlControllerSettings("adaptive", 0.2, 6, 10_000), s);
        assertEquals(KlControllerSettings.DEFAULTS, KlControllerSettings.fromConfig(ConfigFactory.empty()));
        KlSettings kl = KlSettings.fromConfig(ConfigFactory.parseString("loss-estimator = low_var_kl, k3-clamp = inf"));
        assertEquals(Double.POSITIVE_INFINITY, kl.k3Clamp(), 0);
        assertThrows(IllegalArgumentException.class,
                () -> KlControllerSettings.fromConfig(ConfigFactory.parseString("type = pid")));
    }
}
