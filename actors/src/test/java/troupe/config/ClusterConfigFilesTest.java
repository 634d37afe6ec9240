package troupe.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every file in cluster-config/ parses, names only keys that exist, and resolves as a node loads it. */
class ClusterConfigFilesTest {
    static final Path DIR = Path.of("..", "cluster-config");

    static List<Path> files() throws IOException {
        try (Stream<Path> s = Files.walk(DIR)) {
            return s.filter(p -> p.toString().endsWith(".conf")).sorted().toList();
        }
    }

    @Test
    void everyKeyExistsInTheReferenceConfiguration() throws IOException {
        Config reference = ConfigFactory.defaultReference();
        List<String> unknown = new ArrayList<>();
        for (Path f : files()) {
            Config c = ConfigFactory.parseFile(f.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
            for (Map.Entry<String, ?> e : c.entrySet()) {
                if (!reference.hasPathOrNull(e.getKey())) {
                    unknown.add(f + ": " + e.getKey());
                }
            }
            assertTrue(ConfigCheck.check(c, reference, TroupeSettings::fromConfig).isEmpty(), f.toString());
        }
        assertEquals(List.of(), unknown);
        assertTrue(files().size() >= 7, "base, four roles, two shapes");
    }

    @Test
    void aLocalGeneratorNodeResolves() {
        Config node = ConfigFactory.parseFile(DIR.resolve("shapes/local.conf").toFile())
                .withFallback(ConfigFactory.parseFile(DIR.resolve("roles/generator.conf").toFile()))
                .withFallback(ConfigFactory.parseFile(DIR.resolve("base.conf").toFile()))
                .withFallback(ConfigFactory.defaultReference())
                .resolve();
        assertEquals("cluster", node.getString("pekko.actor.provider"));
        assertEquals(List.of("generator"), node.getStringList("pekko.cluster.roles"));
        assertEquals("keep-majority", node.getString("pekko.cluster.split-brain-resolver.active-strategy"));
        assertEquals(false, node.getBoolean("pekko.actor.allow-java-serialization"));
    }
}
