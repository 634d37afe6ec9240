package troupe.cluster.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The merged config of one cluster node. Lowest precedence first:
 *
 * <pre>
 * reference.conf &lt; cluster-config/base.conf &lt; cluster-config/roles/&lt;role&gt;.conf … &lt;
 *     cluster-config/shapes/&lt;shape&gt;.conf &lt; --config FILE &lt; -D system properties
 * </pre>
 *
 * The cluster-config files ship inside the troupe-actors jar (the build copies the repository's
 * {@code cluster-config/} onto the classpath), so a node needs no checkout; the user's file
 * overrides any of their keys. The shape is {@code --shape}, else {@code troupe.node.shape} of
 * the merged config.
 */
public final class NodeConfig {
    /** The roles a node can host, in the order their overlays are applied. */
    public static final List<String> ROLES = List.of("generator", "reward", "reference", "learner");

    public static final List<String> SHAPES = List.of("local", "kubernetes");

    private NodeConfig() {}

    /**
     * @param roles subset of {@link #ROLES}, at least one
     * @param shape empty = take {@code troupe.node.shape}
     * @param userFile the node's own config; empty = none
     * @throws IllegalArgumentException for an unknown role or shape
     */
    public static Config load(List<String> roles, Optional<String> shape, Optional<Path> userFile) {
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("--role: give at least one of " + ROLES);
        }
        for (String r : roles) {
            if (!ROLES.contains(r)) {
                throw new IllegalArgumentException("--role: unknown role '" + r + "'; supported: " + ROLES);
            }
        }
        Config user = userFile.map(f -> ConfigFactory.parseFile(f.toFile(),
                ConfigParseOptions.defaults().setAllowMissing(false))).orElse(ConfigFactory.empty());
        Config below = ConfigFactory.parseResources("cluster-config/base.conf");
        List<String> ordered = new ArrayList<>(ROLES);
        ordered.retainAll(roles);
        for (String r : ordered) {
            below = resource("cluster-config/roles/" + r + ".conf").withFallback(below);
        }
        String chosen = shape.orElseGet(() -> user.withFallback(ConfigFactory.defaultReference())
                .getString("troupe.node.shape"));
        if (!SHAPES.contains(chosen)) {
            throw new IllegalArgumentException("shape: unknown '" + chosen + "'; supported: " + SHAPES);
        }
        Config merged = ConfigFactory.systemProperties()
                // the shape in force, for the node to read (it starts Cluster Bootstrap on Kubernetes)
                .withFallback(ConfigFactory.parseMap(java.util.Map.of("troupe.node.shape", chosen)))
                .withFallback(user)
                .withFallback(resource("cluster-config/shapes/" + chosen + ".conf"))
                .withFallback(below)
                .withFallback(ConfigFactory.defaultReference());
        return merged.resolve();
    }

    private static Config resource(String name) {
        return ConfigFactory.parseResources(name, ConfigParseOptions.defaults().setAllowMissing(false));
    }
}
