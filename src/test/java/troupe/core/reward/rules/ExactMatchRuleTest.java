package troupe.core.reward.rules;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static troupe.core.reward.rules.RuleTesting.one;
import static troupe.core.reward.rules.RuleTesting.rule;
import static troupe.core.reward.rules.RuleTesting.sample;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import troupe.core.config.SettingsException;
import troupe.core.reward.Direction;
import troupe.core.reward.ExplainedScorer;
import troupe.core.reward.ExplainedScorer.Explained;

class ExactMatchRuleTest {

    @Test
    void defaultsTrimAndCompareTheWholeResponseToAnswer() {
        ExplainedScorer r = rule("exact-match", Map.of());
        assertEquals("exact-match", r.objective().name());
        assertEquals(Direction.MAXIMIZE, r.objective().direction());
        assertEquals(new Explained(1f, "match"), one(r, "  Paris\n", "Paris"));
        assertEquals(new Explained(0f, "no match"), one(r, "paris", "Paris"));
    }

    @Test
    void caseInsensitiveAndUntrimmedAreOptions() {
        assertEquals(1f, one(rule("exact-match", Map.of("case-insensitive", true)), "PARIS", "paris").score());
        assertEquals(0f, one(rule("exact-match", Map.of("trim", false)), "Paris ", "Paris").score());
    }

    @Test
    void lastNumberComparesCanonicalNumbers() {
        ExplainedScorer r = rule("exact-match", Map.of("extract", "last-number"));
        assertEquals(new Explained(1f, "match"), one(r, "so 3 + 4 = 7.0", "#### 7"));
        assertEquals(new Explained(1f, "match"), one(r, "it costs $1,200", "1200"));
        assertEquals(new Explained(0f, "no match"), one(r, "7 then 8", "7"));
        assertEquals(new Explained(0f, "no number"), one(r, "seven", "7"));
    }

    @Test
    void boxedTakesTheLastBoxWithNestedBraces() {
        ExplainedScorer r = rule("exact-match", Map.of("extract", "boxed"));
        assertEquals(1f, one(r, "first \\boxed{1}, finally \\boxed{\\frac{1}{2}}", "\\frac{1}{2}").score());
        assertEquals(1f, one(r, "\\boxed{ 12 }", "\\boxed{12}").score());
        assertEquals(new Explained(0f, "no \\boxed{}"), one(r, "the answer is 12", "12"));
    }

    @Test
    void aMissingFieldIsAnOutcomeScoredZeroNotAFault() {
        ExplainedScorer r = rule("exact-match", Map.of("field", "label", "objective", "em"));
        assertEquals("em", r.objective().name());
        assertEquals(new Explained(0f, "missing field label"), one(r, "x", Map.of("answer", "x")));
        assertEquals(new Explained(1f, "match"), one(r, "x", Map.of("label", "x")));
        assertArrayEquals(new float[] {0, 1}, r.score(List.of(sample("x", Map.of()), sample("x", Map.of("label", "x")))));
    }

    @Test
    void badSettingsNameTheirKey() {
        var unknown = assertThrows(SettingsException.class, () -> rule("exact-match", Map.of("normalize", true)));
        assertTrue(unknown.getMessage().contains("normalize"), unknown.getMessage());
        var extract = assertThrows(SettingsException.class, () -> rule("exact-match", Map.of("extract", "first-number")));
        assertTrue(extract.getMessage().contains("extract") && extract.getMessage().contains("last-number"),
                extract.getMessage());
        var field = assertThrows(SettingsException.class, () -> rule("exact-match", Map.of("field", " ")));
        assertEquals("scorer 'exact-match'.field", field.key());
        var name = assertThrows(SettingsException.class, () -> rule("exact-match", Map.of("objective", "a b")));
        assertEquals("scorer 'exact-match'.objective", name.key());
    }
}
