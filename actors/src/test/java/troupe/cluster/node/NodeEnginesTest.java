package troupe.cluster.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import troupe.api.remote.TestScorerFactory;
import troupe.config.TroupeSettings;
import troupe.core.config.SettingsException;
import troupe.core.reward.RewardScorer;
import troupe.core.reward.ScoreInput;

/** A reward node's scorers, by registry or class name, come from the one registry with their settings. */
class NodeEnginesTest {

    private static List<RewardScorer> scorersOf(String runKeys, List<String> nodeScorers) {
        Config config = ConfigFactory.parseString(runKeys).withFallback(ConfigFactory.load()).resolve();
        NodeSettings node = NodeSettings.fromConfig(config).withMoreScorers(nodeScorers);
        try (NodeEngines engines = new NodeEngines(config, TroupeSettings.fromConfig(config), node)) {
            return engines.scorers();
        }
    }

    @Test
    void aNamedScorerTakesItsEntryOfTheRunsScorerList() {
        List<RewardScorer> scorers = scorersOf(
                "troupe.rewards.scorers = [ { scorer = length, objective = short, unit = chars } ]", List.of("length"));
        assertEquals("short", scorers.get(0).objective().name());
        var in = new ScoreInput("q", "abcd", new int[0], new int[1], "", Map.of(), false);
        assertArrayEquals(new float[] {4}, scorers.get(0).score(List.of(in)), "unit = chars reached the scorer");
    }

    @Test
    void aScorerNamedByClassGoesThroughTheRegistryToo() {
        List<RewardScorer> scorers = scorersOf("", List.of(TestScorerFactory.LengthScorer.class.getName(), "test-length"));
        assertEquals(List.of("test-length", "test-length"), scorers.stream().map(s -> s.objective().name()).toList());
        var e = assertThrows(SettingsException.class, () -> scorersOf("", List.of("no-such-scorer")));
        assertTrue(e.getMessage().contains("length") && e.getMessage().contains("test-length"), e.getMessage());
    }

    @Test
    void withoutNodeScorersTheRunsOwnAreHosted() {
        List<RewardScorer> scorers = scorersOf("troupe.run.task = reverse", List.of());
        assertEquals(List.of("correctness", "brevity"), scorers.stream().map(s -> s.objective().name()).toList());
    }
}
