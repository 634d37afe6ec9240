package troupe.api.grpc;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import troupe.core.config.ConfigReader;
import troupe.core.config.SettingsException;

/**
 * The {@code troupe.grpc} block: where the Control and LearnerStream server listens and how it
 * is secured.
 *
 * @param host address to bind
 * @param port port to bind; 0 = any free port
 * @param token bearer token Control calls must carry: {@code troupe.grpc.token}, else env
 *     {@code TROUPE_TOKEN}; empty when neither is set (the server then generates one)
 * @param tlsCertChain PEM certificate chain; present together with {@code tlsPrivateKey} for TLS
 * @param tlsPrivateKey PEM PKCS#8 private key
 * @param controlTimeout longest a Control call waits for the run to answer
 * @param maxInboundMessageBytes largest request message the server reads; a larger one fails
 *     the call with RESOURCE_EXHAUSTED before it is buffered
 * @param maxWatchSubscribers Watch calls served at once; the next one gets RESOURCE_EXHAUSTED
 */
public record GrpcSettings(String host, int port, String token, Optional<Path> tlsCertChain,
        Optional<Path> tlsPrivateKey, Duration controlTimeout, int maxInboundMessageBytes, int maxWatchSubscribers) {

    /** Environment variable read when {@code troupe.grpc.token} is empty. */
    public static final String TOKEN_ENV = "TROUPE_TOKEN";

    public static GrpcSettings fromConfig(Config config) {
        return fromConfig(config, System.getenv());
    }

    /** As {@link #fromConfig(Config)} with an explicit environment (tests). */
    public static GrpcSettings fromConfig(Config config, Map<String, String> env) {
        ConfigReader r = ConfigReader.at(config, "troupe.grpc");
        String token = r.string("token");
        if (token.isEmpty()) {
            token = env.getOrDefault(TOKEN_ENV, "");
        }
        Optional<Path> chain = optionalPath(r.string("tls-cert-chain"));
        Optional<Path> key = optionalPath(r.string("tls-private-key"));
        if (chain.isPresent() != key.isPresent()) {
            String missing = chain.isPresent() ? "tls-private-key" : "tls-cert-chain";
            throw new SettingsException(r.key(missing), "a path (TLS needs both the chain and the key)", "\"\"");
        }
        return new GrpcSettings(r.string("host"), r.intIn("port", 0, 65535), token, chain, key,
                Duration.ofMillis(r.millisIn("control-timeout", 1, 3_600_000)),
                r.intIn("max-inbound-message-bytes", 1_024, 1 << 30),
                r.intIn("max-watch-subscribers", 1, 100_000));
    }

    public boolean tls() {
        return tlsCertChain.isPresent();
    }

    private static Optional<Path> optionalPath(String s) {
        return s.isBlank() ? Optional.empty() : Optional.of(Path.of(s));
    }
}
