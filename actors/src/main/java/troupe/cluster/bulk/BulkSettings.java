package troupe.cluster.bulk;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Map;
import troupe.core.config.ConfigReader;

/**
 * The {@code troupe.bulk} block: the byte path beside Artery for rollout batches between nodes.
 *
 * @param enabled a generator answers a remote requester with a handle instead of the batch
 * @param port this node's bulk server port; 0 = any free port (handles carry the real one)
 * @param retention how long an offered object waits to be fetched before it is dropped
 * @param fetchTimeout connect and read timeout of one fetch
 * @param secret what a node must prove it knows before a bulk server answers it:
 *     {@code troupe.bulk.secret}, else env {@value #SECRET_ENV}, else derived from the cluster's
 *     name (the actor system name every node of one cluster shares)
 * @param derivedSecret whether {@code secret} was derived (keeps runs apart, guards nothing)
 * @param maxFetchBytes most bytes one fetch may decode; a sender announcing more fails the fetch
 *     before the receiver allocates it
 */
public record BulkSettings(boolean enabled, int port, Duration retention, Duration fetchTimeout, String secret,
        boolean derivedSecret, long maxFetchBytes) {

    /** Environment variable read when {@code troupe.bulk.secret} is empty. */
    public static final String SECRET_ENV = "TROUPE_BULK_SECRET";

    /** For checking a config ({@code troupe config check}), where no cluster and no secret is needed. */
    public static BulkSettings fromConfig(Config config) {
        return fromConfig(config, System.getenv(), "");
    }

    /** @param clusterName the actor system's name, the same on every node of a cluster */
    public static BulkSettings fromConfig(Config config, String clusterName) {
        return fromConfig(config, System.getenv(), clusterName);
    }

    /** As {@link #fromConfig(Config, String)} with an explicit environment (tests). */
    public static BulkSettings fromConfig(Config config, Map<String, String> env, String clusterName) {
        ConfigReader r = ConfigReader.at(config, "troupe.bulk");
        String secret = r.string("secret");
        if (secret.isEmpty()) {
            secret = env.getOrDefault(SECRET_ENV, "");
        }
        boolean derived = secret.isEmpty();
        if (derived) {
            secret = "troupe-bulk:" + clusterName;
        }
        return new BulkSettings(
                r.bool("enabled"),
                r.intIn("port", 0, 65_535),
                Duration.ofMillis(r.millisIn("retention", 1_000, 86_400_000)),
                Duration.ofMillis(r.millisIn("fetch-timeout", 100, 3_600_000)),
                secret,
                derived,
                r.longIn("max-fetch-bytes", 1_024, 1L << 40));
    }
}
