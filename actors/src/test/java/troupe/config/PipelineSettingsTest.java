package troupe.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import troupe.core.config.SettingsException;

class PipelineSettingsTest {

    private static TroupeSettings read(String hocon) {
        return TroupeSettings.fromConfig(
                ConfigFactory.parseString(hocon).withFallback(TroupeConfig.reference()).resolve());
    }

    @Test
    void defaultsAreStrictlyOnPolicyAndCheckpointUnderTheRunFolder() {
        TroupeSettings s = read("");
        assertEquals(0, s.pipeline().maxPolicyLag());
        assertEquals(1, s.pipeline().maxInFlight());
        assertEquals(64 * 8, s.pipeline().samplesPerBatch());
        assertEquals(Path.of("runs/r1/checkpoints"), s.checkpoint().dirFor(Path.of("runs/r1")));
    }

    @Test
    void outOfRangeValuesNameTheirKey() {
        SettingsException lag = assertThrows(SettingsException.class, () -> read("troupe.pipeline.max-policy-lag = -1"));
        assertEquals("troupe.pipeline.max-policy-lag", lag.key());
        SettingsException backoff = assertThrows(SettingsException.class,
                () -> read("troupe.pipeline { restart-min-backoff = 5s, restart-max-backoff = 1s }"));
        assertEquals("troupe.pipeline.restart-max-backoff", backoff.key());
    }
}
