package troupe.core.reward.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static troupe.core.reward.rules.RuleTesting.one;
import static troupe.core.reward.rules.RuleTesting.rule;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import troupe.core.config.SettingsException;
import troupe.core.reward.ExplainedScorer;
import troupe.core.reward.ExplainedScorer.Explained;

class JsonRuleTest {

    @Test
    void scoresOneWhenTheResponseParsesStrictly() {
        ExplainedScorer r = rule("json", Map.of());
        assertEquals(new Explained(1f, "parsed"), one(r, " {\"a\": [1, 2]} ", Map.of()));
        assertEquals(new Explained(1f, "parsed"), one(r, "42", Map.of()));
        assertEquals(0f, one(r, "{a: 1}", Map.of()).score()); // unquoted key: lenient JSON only
        assertEquals(0f, one(r, "{\"a\": 1} trailing", Map.of()).score());
        assertEquals(0f, one(r, "", Map.of()).score());
        assertTrue(one(r, "{\"a\": ", Map.of()).outcome().startsWith("invalid json: "));
    }

    @Test
    void readsTheLastFencedJsonBlock() {
        ExplainedScorer r = rule("json", Map.of());
        assertEquals(new Explained(1f, "parsed"), one(r, "Here:\n```json\n{\"a\": 1}\n```\nDone.", Map.of()));
        assertEquals(0f, one(r, "Here:\n```json\n{\"a\": }\n```", Map.of()).score());
    }

    @Test
    void requiredKeysScoreAllOrNothing() {
        ExplainedScorer r = rule("json", Map.of("keys", List.of("name", "age")));
        assertEquals(new Explained(1f, "parsed, all 2 keys"), one(r, "{\"name\": \"x\", \"age\": 3}", Map.of()));
        assertEquals(new Explained(0f, "missing keys [age]"), one(r, "{\"name\": \"x\"}", Map.of()));
        assertEquals(new Explained(0f, "not a JSON object"), one(r, "[\"name\", \"age\"]", Map.of()));
    }

    @Test
    void requiredKeysCanScoreTheFractionPresent() {
        ExplainedScorer r = rule("json", Map.of("keys", List.of("a", "b", "c", "d"), "score", "fraction"));
        assertEquals(new Explained(0.25f, "missing keys [b, c, d]"), one(r, "{\"a\": 1}", Map.of()));
        assertEquals(0f, one(r, "{}", Map.of()).score());
        assertEquals(1f, one(r, "{\"a\":1,\"b\":1,\"c\":1,\"d\":1}", Map.of()).score());
    }

    @Test
    void deepNestingIsAnOutcomeNotACrash() {
        ExplainedScorer r = rule("json", Map.of());
        Explained e = one(r, "[".repeat(100_000), Map.of());
        assertEquals(0f, e.score());
        assertTrue(e.outcome().startsWith("invalid json"), e.outcome());
    }

    @Test
    void keysMustBeAListOfStrings() {
        var e = assertThrows(SettingsException.class, () -> rule("json", Map.of("keys", "name")));
        assertEquals("scorer 'json'.keys", e.key());
    }
}
