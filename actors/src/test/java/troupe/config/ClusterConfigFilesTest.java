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

    /** The README's example node files: the learner is the first seed, the reference node the second. */
    @Test
    void theExampleNodesListTheLearnerThenTheReferenceAsSeeds() {
        Path examples = Path.of("..", "examples", "cluster");
        List<String> seeds = List.of("pekko://troupe@10.0.0.1:25520", "pekko://troupe@10.0.0.2:25520");
        for (String role : List.of("learner", "reference", "generator", "reward")) {
            Config node = ConfigFactory.parseFile(examples.resolve(role + ".conf").toFile(),
                    ConfigParseOptions.defaults().setAllowMissing(false)).withFallback(ConfigFactory.defaultReference())
                    .resolve();
            assertEquals(seeds, node.getStringList("pekko.cluster.seed-nodes"), role);
        }
        for (int i = 0; i < 2; i++) {
            Config node = ConfigFactory.parseFile(examples.resolve(List.of("learner", "reference").get(i) + ".conf")
                    .toFile()).withFallback(ConfigFactory.defaultReference()).resolve();
            assertEquals(seeds.get(i), "pekko://troupe@" + node.getString("pekko.remote.artery.canonical.hostname")
                    + ":" + node.getInt("pekko.remote.artery.canonical.port"));
        }
        Config local = ConfigFactory.parseFile(DIR.resolve("shapes/local.conf").toFile()).resolve();
        assertEquals(2, local.getStringList("pekko.cluster.seed-nodes").size(), "the local shape has a second seed");
    }
}
