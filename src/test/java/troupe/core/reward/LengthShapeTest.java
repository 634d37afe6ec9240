package troupe.core.reward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import troupe.core.config.SettingsException;

class LengthShapeTest {
    private final ScorerRegistry registry = ScorerRegistry.fromClasspath();

    private ExplainedScorer length(Map<String, Object> settings) {
        return (ExplainedScorer) registry.create("length", ConfigFactory.parseMap(settings));
    }

    private static List<ScoreInput> chars(String... texts) {
        return java.util.Arrays.stream(texts)
                .map(t -> new ScoreInput("q", t, new int[0], new int[0], "", Map.of(), false)).toList();
    }

    @Test
    void quadraticPenalisesTheScaledDistanceSquared() {
        var s = length(Map.of("mode", "target", "target", 4, "unit", "chars", "shape", "quadratic", "scale", 2));
        assertArrayEquals(new float[] {-1, 0, -2.25f}, s.score(chars("ab", "abcd", "abcdefg")));
    }

    @Test
    void hingePenalisesOnlyGoingOverTheTarget() {
        var s = length(Map.of("mode", "target", "target", 4, "unit", "chars", "shape", "hinge", "scale", 2));
        assertArrayEquals(new float[] {0, 0, -1.5f}, s.score(chars("a", "abcd", "abcdefg")));
    }

    @Test
    void scaleDividesLinearAndBrevityScores() {
        var target = length(Map.of("mode", "target", "target", 4, "unit", "chars", "scale", 4));
        assertArrayEquals(new float[] {-0.5f, 0.5f * -1}, target.score(chars("abcdef", "ab")));
        var brevity = length(Map.of("unit", "chars", "scale", 10));
        assertArrayEquals(new float[] {0.3f}, brevity.score(chars("abc")));
    }

    @Test
    void outcomesGiveTheLengthInItsUnit() {
        var s = length(Map.of());
        var in = new ScoreInput("q", "abc", new int[0], new int[] {5, 6}, "", Map.of(), false);
        assertEquals(new ExplainedScorer.Explained(2, "2 tokens"), s.explain(List.of(in)).get(0));
        assertEquals("3 chars", length(Map.of("unit", "chars")).explain(List.of(in)).get(0).outcome());
    }

    @Test
    void shapeBelongsToTargetModeAndScaleIsPositive() {
        var shape = assertThrows(SettingsException.class, () -> length(Map.of("shape", "hinge")));
        assertTrue(shape.getMessage().contains("shape"), shape.getMessage());
        var scale = assertThrows(SettingsException.class, () -> length(Map.of("mode", "target", "scale", 0)));
        assertEquals("scorer 'length'.scale", scale.key());
        var unknown = assertThrows(SettingsException.class, () -> length(Map.of("mode", "target", "shape", "cubic")));
        assertTrue(unknown.getMessage().contains("quadratic"), unknown.getMessage());
    }
}
