package troupe.core.reward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import troupe.core.config.ConfigReader;
import troupe.core.config.SettingsException;

/** Every way to name a scorer goes through one registry and gives the scorer its block. */
class ScorerRegistryTest {

    private final ScorerRegistry registry = ScorerRegistry.fromClasspath();

    /** A plugin scorer named by class, taking settings through a ConfigReader constructor. */
    public static final class Suffix implements RewardScorer {
        private final String suffix;

        public Suffix(ConfigReader block) {
            block.requireOnly(Set.of("suffix"));
            this.suffix = block.string("suffix");
        }

        @Override
        public Objective objective() {
            return new Objective("suffix", Direction.MAXIMIZE);
        }

        @Override
        public float[] score(List<ScoreInput> batch) {
            float[] out = new float[batch.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = batch.get(i).responseText().endsWith(suffix) ? 1 : 0;
            }
            return out;
        }
    }

    /** A plugin scorer named by class with no settings at all. */
    public static final class Constant implements RewardScorer {
        @Override
        public Objective objective() {
            return new Objective("constant", Direction.MAXIMIZE);
        }

        @Override
        public float[] score(List<ScoreInput> batch) {
            return new float[batch.size()];
        }
    }

    @Test
    void everyBuiltInBuildsFromItsDefaultBlockExceptThoseWithARequiredKey() {
        assertEquals(List.of("code-execution", "exact-match", "format", "json", "learned-rm", "length", "llm-judge", "numeric", "regex",
                "repetition", "task-verifier"), registry.names());
        for (String rule : List.of("exact-match", "json", "numeric")) {
            assertEquals(rule, registry.create(rule, ConfigFactory.empty()).objective().name());
        }
        var regex = assertThrows(SettingsException.class, () -> registry.create("regex", ConfigFactory.empty()));
        assertTrue(regex.getMessage().contains("pattern"), regex.getMessage());
        assertEquals("length", registry.create("length", ConfigFactory.empty()).objective().name());
        assertEquals("repetition", registry.create("repetition", ConfigFactory.empty()).objective().name());
        assertEquals("correctness", registry.create("task-verifier", ConfigFactory.empty()).objective().name());
        assertEquals("code-execution", registry.create("code-execution", ConfigFactory.empty()).objective().name());
        assertEquals("format", registry.create("format", ConfigFactory.parseMap(Map.of("pattern", "x")))
                .objective().name());
        var e = assertThrows(SettingsException.class, () -> registry.create("format", ConfigFactory.empty()));
        assertTrue(e.getMessage().contains("pattern"), e.getMessage());
    }

    @Test
    void theScorerListIsReadInOneFormWithEachEntrysKeyInErrors() {
        Config run = ConfigFactory.parseString("troupe.rewards.scorers = ["
                + "{ scorer = length, mode = target, target = 2, unit = chars },"
                + "{ scorer = repetition, n = 0 } ]");
        List<ScorerSpec> specs = ScorerRegistry.configured(run);
        assertEquals(List.of("length", "repetition"), specs.stream().map(ScorerSpec::scorer).toList());
        RewardScorer length = registry.create(specs.get(0));
        assertArrayEquals(new float[] {0, -1}, length.score(List.of(BuiltInScorersTest.response("ab", 0),
                BuiltInScorersTest.response("abc", 0))));
        var e = assertThrows(SettingsException.class, () -> registry.create(specs.get(1)));
        assertTrue(e.getMessage().contains("troupe.rewards.scorers[1].n"), e.getMessage());

        var object = assertThrows(SettingsException.class, () -> ScorerRegistry.configured(
                ConfigFactory.parseString("troupe.rewards.scorers { length { mode = target } }")));
        assertTrue(object.getMessage().contains("troupe.rewards.scorers"), object.getMessage());
        var nameless = assertThrows(SettingsException.class, () -> ScorerRegistry.configured(
                ConfigFactory.parseString("troupe.rewards.scorers = [ { mode = target } ]")));
        assertTrue(nameless.getMessage().contains("troupe.rewards.scorers[0]"), nameless.getMessage());
    }

    @Test
    void aScorerNamedElsewhereTakesItsBlockFromTheRunsList() {
        Config run = ConfigFactory.parseString("troupe.rewards.scorers = [ { scorer = length, objective = short } ]");
        assertEquals("short", registry.create(ScorerRegistry.declared(run, "length", "troupe.node.scorers"))
                .objective().name());
        assertEquals("repetition", registry.create(ScorerRegistry.declared(run, "repetition", "troupe.node.scorers"))
                .objective().name());
    }

    @Test
    void theRunMayChangeADefault() {
        Config run = ConfigFactory.parseString("troupe.rewards.defaults.length.objective = chars");
        assertEquals("chars", registry.withDefaultsOf(run).create("length", ConfigFactory.empty()).objective().name());
    }

    @Test
    void aScorerNamedByClassGetsItsSettingsToo() {
        RewardScorer suffix = registry.create(Suffix.class.getName(), ConfigFactory.parseMap(Map.of("suffix", "!")));
        assertArrayEquals(new float[] {1, 0}, suffix.score(List.of(BuiltInScorersTest.response("hi!", 0),
                BuiltInScorersTest.response("hi", 0))));
        assertEquals("constant", registry.create(Constant.class.getName(), ConfigFactory.empty()).objective().name());
        var dropped = assertThrows(SettingsException.class,
                () -> registry.create(Constant.class.getName(), ConfigFactory.parseMap(Map.of("scale", 2))));
        assertTrue(dropped.getMessage().contains("scale"), "a setting the class cannot take is an error, not dropped");
    }

    @Test
    void anUnknownNameListsTheRegisteredOnes() {
        var e = assertThrows(SettingsException.class, () -> registry.create("com.example.Missing", ConfigFactory.empty()));
        assertTrue(e.getMessage().contains("com.example.Missing") && e.getMessage().contains("length, llm-judge, numeric, regex, repetition"),
                e.getMessage());
    }

    @Test
    void checkReadsSettingsWithoutLoadingAModel() {
        String factoryClass = troupe.core.reward.rm.LearnedRmScorer.Factory.class.getName();
        for (String name : List.of("learned-rm", factoryClass)) {
            // a factory named by class has no defaults block: every key is given
            ScorerSpec missing = new ScorerSpec(name, ConfigFactory.parseMap(Map.of("model", "/no/such/rm",
                    "objective", "rm", "batch-size", 2, "max-length", 8)), "s");
            registry.check(missing); // create would fail loading the folder
            assertThrows(troupe.core.model.ModelFormatException.class, () -> registry.create(missing));
            var bad = assertThrows(SettingsException.class, () -> registry.check(new ScorerSpec(name,
                    ConfigFactory.parseMap(Map.of("model", "m", "objective", "rm", "batch-size", 0, "max-length", 8)),
                    "s")));
            assertEquals("s.batch-size", bad.key());
        }
    }
}
