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

class BuiltInScorersTest {

    static ScoreInput response(String text, int tokens) {
        return new ScoreInput("q", text, new int[] {1}, new int[tokens], "", Map.of(), false);
    }

    static ScoreInput tokens(int... ids) {
        return new ScoreInput("q", "", new int[] {1}, ids, "", Map.of(), false);
    }

    private final ScorerRegistry registry = ScorerRegistry.fromClasspath();

    @Test
    void registryFindsBuiltInsThroughServiceLoader() {
        assertEquals(List.of("code-execution", "exact-match", "format", "json", "learned-rm", "length", "llm-judge", "numeric", "regex", "repetition", "task-verifier"), registry.names());
    }

    @Test
    void unknownScorerNameListsTheSupportedOnes() {
        var e = assertThrows(SettingsException.class, () -> registry.create("bleu", ConfigFactory.empty()));
        assertTrue(e.getMessage().contains("bleu") && e.getMessage().contains("length"), e.getMessage());
    }

    @Test
    void unknownSettingsKeyIsNamed() {
        var e = assertThrows(SettingsException.class,
                () -> registry.create("length", ConfigFactory.parseMap(Map.of("targt", 5))));
        assertTrue(e.getMessage().contains("targt"), e.getMessage());
    }

    @Test
    void brevityScoresLengthAndIsMinimised() {
        RewardScorer s = registry.create("length", ConfigFactory.empty());
        assertEquals(Direction.MINIMIZE, s.objective().direction());
        assertArrayEquals(new float[] {3, 0}, s.score(List.of(response("abc", 3), response("", 0))));
    }

    @Test
    void targetLengthScoresMinusDistance() {
        RewardScorer s = registry.create("length",
                ConfigFactory.parseMap(Map.of("mode", "target", "target", 4, "unit", "chars", "objective", "len4")));
        assertEquals(Direction.MAXIMIZE, s.objective().direction());
        assertEquals("len4", s.objective().name());
        assertArrayEquals(new float[] {-1, 0, -3}, s.score(List.of(response("abc", 9), response("abcd", 9),
                response("abcdefg", 9))));
    }

    @Test
    void formatMatchesWholeStrippedResponse() {
        RewardScorer s = registry.create("format", ConfigFactory.parseMap(Map.of("pattern", "<a>\\d+</a>")));
        assertArrayEquals(new float[] {1, 0, 1},
                s.score(List.of(response("<a>42</a>", 0), response("x <a>42</a>", 0), response(" <a>7</a>\n", 0))));
        RewardScorer anywhere = registry.create("format",
                ConfigFactory.parseMap(Map.of("pattern", "<a>\\d+</a>", "full-match", false)));
        assertArrayEquals(new float[] {1}, anywhere.score(List.of(response("x <a>42</a>", 0))));
        assertThrows(SettingsException.class, () -> registry.create("format", ConfigFactory.empty()));
    }

    @Test
    void repetitionIsTheFractionOfRepeatedNgrams() {
        RewardScorer s = registry.create("repetition", ConfigFactory.parseMap(Map.of("n", 2)));
        assertEquals(Direction.MINIMIZE, s.objective().direction());
        float[] r = s.score(List.of(tokens(1, 2, 1, 2), tokens(1, 2, 3, 4), tokens(5, 5, 5, 5, 5), tokens(7)));
        assertArrayEquals(new float[] {1 - 2f / 3, 0, 0.75f, 0}, r, 1e-6f);
    }
}
