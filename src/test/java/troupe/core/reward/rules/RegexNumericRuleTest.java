package troupe.core.reward.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static troupe.core.reward.rules.RuleTesting.one;
import static troupe.core.reward.rules.RuleTesting.rule;

import java.util.Map;
import org.junit.jupiter.api.Test;
import troupe.core.config.SettingsException;
import troupe.core.reward.ExplainedScorer;
import troupe.core.reward.ExplainedScorer.Explained;

class RegexNumericRuleTest {

    @Test
    void regexScoresAMatchAnywhere() {
        ExplainedScorer r = rule("regex", Map.of("pattern", "<answer>.*</answer>"));
        assertEquals("regex", r.objective().name());
        assertEquals(new Explained(1f, "match"), one(r, "think... <answer>4</answer>", Map.of()));
        assertEquals(new Explained(0f, "no match"), one(r, "4", Map.of()));
    }

    @Test
    void regexCaptureIsComparedWithTheField() {
        ExplainedScorer r = rule("regex", Map.of("pattern", "<answer>(.*?)</answer>", "capture", 1, "field", "answer"));
        assertEquals(new Explained(1f, "match"), one(r, "<answer> 4 </answer>", "4"));
        assertEquals(new Explained(0f, "captured \"5\", not the reference"), one(r, "<answer>5</answer>", "4"));
        assertEquals(new Explained(0f, "no match"), one(r, "5", "4"));
        assertEquals(new Explained(0f, "missing field answer"), one(r, "<answer>4</answer>", Map.of()));
        ExplainedScorer optional = rule("regex", Map.of("pattern", "a(b)?", "capture", 1, "field", "answer"));
        assertEquals(new Explained(0f, "group 1 did not take part in the match"), one(optional, "a", "b"));
    }

    @Test
    void regexSettingsAreCheckedAtConstruction() {
        var missing = assertThrows(SettingsException.class, () -> rule("regex", Map.of()));
        assertTrue(missing.getMessage().contains("pattern"), missing.getMessage());
        var bad = assertThrows(SettingsException.class, () -> rule("regex", Map.of("pattern", "(")));
        assertEquals("scorer 'regex'.pattern", bad.key());
        var group = assertThrows(SettingsException.class,
                () -> rule("regex", Map.of("pattern", "(a)", "capture", 2, "field", "answer")));
        assertEquals("scorer 'regex'.capture", group.key());
        var noField = assertThrows(SettingsException.class, () -> rule("regex", Map.of("pattern", "(a)", "capture", 1)));
        assertTrue(noField.getMessage().contains("needs field"), noField.getMessage());
    }

    @Test
    void numericDefaultsToTheLastNumberWithinAbsoluteTolerance() {
        ExplainedScorer r = rule("numeric", Map.of());
        assertEquals(new Explained(1f, "match"), one(r, "3 + 4 = 7", "#### 7"));
        assertEquals(new Explained(1f, "match"), one(r, "0.3333330", "0.333333"));
        assertEquals(new Explained(0f, "off by 0.01"), one(r, "7.01", "7"));
        assertEquals(new Explained(0f, "no number"), one(r, "seven", "7"));
        assertEquals(new Explained(0f, "field answer holds no number"), one(r, "7", "seven"));
        assertEquals(new Explained(0f, "missing field answer"), one(r, "7", Map.of()));
    }

    @Test
    void numericTolerancesAreAbsoluteOrRelative() {
        ExplainedScorer rel = rule("numeric", Map.of("rel-tol", 0.01, "abs-tol", 0));
        assertEquals(1f, one(rel, "1009", "1000").score());
        assertEquals(1f, one(rel, "1010", "1000").score());
        assertEquals(0f, one(rel, "1011", "1000").score());
        assertEquals(0f, one(rel, "0.001", "0").score()); // rel-tol of 0 is 0
        ExplainedScorer abs = rule("numeric", Map.of("abs-tol", 0.5));
        assertEquals(1f, one(abs, "2.5", "2").score());
        assertEquals(0f, one(abs, "2.51", "2").score());
    }

    @Test
    void numericCanReadTheBoxedAnswer() {
        ExplainedScorer r = rule("numeric", Map.of("source", "boxed"));
        assertEquals(1f, one(r, "maybe 3, so \\boxed{x = 12} and 9 left", "12").score());
        assertEquals(new Explained(0f, "no \\boxed{}"), one(r, "12", "12"));
        assertEquals(new Explained(0f, "no number"), one(r, "\\boxed{\\text{none}}", "12"));
    }

    @Test
    void numericRejectsNegativeTolerance() {
        var e = assertThrows(SettingsException.class, () -> rule("numeric", Map.of("rel-tol", -1)));
        assertEquals("scorer 'numeric'.rel-tol", e.key());
    }
}
