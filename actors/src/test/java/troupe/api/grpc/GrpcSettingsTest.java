package troupe.api.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;
import troupe.config.TroupeConfig;
import troupe.core.config.SettingsException;

class GrpcSettingsTest {

    private static Config with(String hocon) {
        return ConfigFactory.parseString(hocon).withFallback(TroupeConfig.reference()).resolve();
    }

    @Test
    void defaultsArePlaintextOnLoopback() {
        GrpcSettings s = GrpcSettings.fromConfig(with(""), Map.of());
        assertEquals("127.0.0.1", s.host());
        assertEquals(7070, s.port());
        assertEquals("", s.token());
        assertFalse(s.tls());
    }

    @Test
    void tokenComesFromConfigElseFromTheEnvironment() {
        assertEquals("from-env", GrpcSettings.fromConfig(with(""), Map.of("TROUPE_TOKEN", "from-env")).token());
        assertEquals("from-conf",
                GrpcSettings.fromConfig(with("troupe.grpc.token = from-conf"), Map.of("TROUPE_TOKEN", "from-env")).token());
    }

    @Test
    void tlsNeedsBothTheChainAndTheKey() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> GrpcSettings.fromConfig(with("troupe.grpc.tls-cert-chain = /x/cert.pem"), Map.of()));
        assertEquals("troupe.grpc.tls-private-key", e.key());
    }

    @Test
    void portOutOfRangeNamesTheKey() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> GrpcSettings.fromConfig(with("troupe.grpc.port = 70000"), Map.of()));
        assertEquals("troupe.grpc.port", e.key());
    }
}
