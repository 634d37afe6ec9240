package troupe.core.reward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import troupe.core.config.ConfigReader;

/** A scorer shipped in a plugin jar joins the registry through its {@code META-INF/services} entry. */
class PluginScorerTest {

    /** What a plugin jar would contain: a factory with a public no-argument constructor. */
    public static final class ShoutFactory implements RewardScorerFactory {
        @Override
        public String name() {
            return "shout";
        }

        @Override
        public RewardScorer create(ConfigReader block) {
            block.requireOnly(java.util.Set.of());
            Objective o = new Objective("shout", Direction.MAXIMIZE);
            return new RewardScorer() {
                @Override
                public Objective objective() {
                    return o;
                }

                @Override
                public float[] score(List<ScoreInput> batch) {
                    float[] out = new float[batch.size()];
                    for (int i = 0; i < out.length; i++) {
                        out[i] = batch.get(i).responseText().endsWith("!") ? 1 : 0;
                    }
                    return out;
                }
            };
        }
    }

    @Test
    void pluginOnTheClasspathAddsItsScorerNextToTheBuiltIns(@TempDir Path plugin) throws Exception {
        Path services = plugin.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(RewardScorerFactory.class.getName()), ShoutFactory.class.getName() + "\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {plugin.toUri().toURL()}, getClass().getClassLoader())) {
            ScorerRegistry registry = ScorerRegistry.fromClassLoader(loader);
            assertTrue(registry.names().containsAll(List.of("length", "task-verifier", "shout")), registry.names().toString());
            RewardScorer shout = registry.create("shout", ConfigFactory.empty());
            var in = List.of(new ScoreInput("q", "hi!", new int[0], new int[0], "", Map.of(), false),
                    new ScoreInput("q", "hi", new int[0], new int[0], "", Map.of(), false));
            assertArrayEquals(new float[] {1, 0}, shout.score(in));
        }
        assertEquals(List.of("code-execution", "exact-match", "format", "json", "learned-rm", "length", "llm-judge", "numeric", "regex", "repetition", "task-verifier"), ScorerRegistry.fromClasspath().names());
    }
}
