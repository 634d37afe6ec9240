package troupe.cluster.bulk;

import com.typesafe.config.Config;
import java.time.Duration;
import troupe.core.config.ConfigReader;

/**
 * The {@code troupe.bulk} block: the byte path beside Artery for rollout batches between nodes.
 *
 * @param enabled a generator answers a remote requester with a handle instead of the batch
 * @param port this node's bulk server port; 0 = any free port (handles carry the real one)
 * @param retention how long an offered object waits to be fetched before it is dropped
 * @param fetchTimeout connect and read timeout of one fetch
 */
public record BulkSettings(boolean enabled, int port, Duration retention, Duration fetchTimeout) {

    public static BulkSettings fromConfig(Config config) {
        ConfigReader r = ConfigReader.at(config, "troupe.bulk");
        return new BulkSettings(
                r.bool("enabled"),
                r.intIn("port", 0, 65_535),
                Duration.ofMillis(r.millisIn("retention", 1_000, 86_400_000)),
                Duration.ofMillis(r.millisIn("fetch-timeout", 100, 3_600_000)));
    }
}
