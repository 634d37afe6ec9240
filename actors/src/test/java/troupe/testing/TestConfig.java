package troupe.testing;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import troupe.config.TroupeConfig;
import troupe.config.TroupeSettings;

/** Configs for tests: a one-node cluster on loopback, fast timeouts, small batches. */
public final class TestConfig {
    private TestConfig() {}

    public static final String CLUSTER = """
            pekko.actor.provider = cluster
            pekko.remote.artery.canonical.hostname = "127.0.0.1"
            pekko.remote.artery.canonical.port = 0
            pekko.actor.allow-java-serialization = off
            pekko.actor.serialize-messages = off
            pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
            pekko.cluster.typed.receptionist.distributed-data.notify-subscribers-interval = 50ms
            pekko.loglevel = WARNING
            """;

    /** Cluster keys over the Troupe reference. */
    public static Config cluster() {
        return ConfigFactory.parseString(CLUSTER).withFallback(TroupeConfig.reference()).resolve();
    }

    /** A run config: {@code hocon} over fast test defaults over the reference, outputs in {@code dir}. */
    public static Config run(Path dir, String hocon) {
        return ConfigFactory.parseString(hocon)
                .withFallback(ConfigFactory.parseString("""
                        troupe.run { steps = 5, output-dir = "%s" }
                        troupe.pipeline {
                          group-size = 2
                          prompts-per-step = 2
                          scorer-deadline = 300ms
                          generate-timeout = 10s
                          reference-timeout = 10s
                          weight-broadcast-timeout = 5s
                          restart-min-backoff = 50ms
                          restart-max-backoff = 200ms
                        }
                        troupe.checkpoint.every-n-steps = 0
                        """.formatted(dir.toString().replace("\\", "/"))))
                .withFallback(cluster())
                .resolve();
    }

    public static TroupeSettings settings(Config config) {
        return TroupeSettings.fromConfig(config);
    }
}
