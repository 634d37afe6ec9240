package troupe.core.reward.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExtractTest {

    @Test
    void lastNumberIsCanonical() {
        assertEquals(Optional.of("72"), Extract.lastNumber("3 apples, then 5 more ... #### 72"));
        assertEquals(Optional.of("1200.5"), Extract.lastNumber("total: 1,200.50 dollars"));
        assertEquals(Optional.of("42"), Extract.lastNumber("x = 42.0."));
        assertEquals(Optional.of("-3"), Extract.lastNumber("it drops to -3"));
        assertEquals(Optional.of("3"), Extract.lastNumber("5-3"));
        assertEquals(Optional.of("0.5"), Extract.lastNumber("p = .5"));
        assertEquals(Optional.of("150000"), Extract.lastNumber("1.5e5"));
        assertEquals(Optional.of("0"), Extract.lastNumber("-0.00"));
        assertEquals(Optional.of("7"), Extract.lastNumber("+7"));
    }

    @Test
    void lastNumberSkipsDigitsInsideWords() {
        assertEquals(Optional.of("4"), Extract.lastNumber("4 apples from v2"));
        assertEquals(Optional.empty(), Extract.lastNumber("no digits here"));
        assertEquals(Optional.empty(), Extract.lastNumber(""));
    }

    @Test
    void boxedTakesTheLastBalancedOneWithNestedBraces() {
        assertEquals(Optional.of("\\frac{1}{2}"), Extract.boxed("so \\boxed{3} no, \\boxed{\\frac{1}{2}}"));
        assertEquals(Optional.of("{a}{b}"), Extract.boxed("\\boxed{{a}{b}}"));
        assertEquals(Optional.of("5"), Extract.boxed("\\boxed{5} then \\boxed{unclosed"));
        assertEquals(Optional.of("a \\} b"), Extract.boxed("\\boxed{a \\} b}"));
        assertEquals(Optional.of(""), Extract.boxed("\\boxed{}"));
        assertEquals(Optional.empty(), Extract.boxed("\\boxed{never {closed}"));
        assertEquals(Optional.empty(), Extract.boxed("boxed{5}"));
    }

    @Test
    void lastFenceTakesJsonOrUntaggedBlocks() {
        String text = "a\n```json\n{\"a\": 1}\n```\nb\n```python\nx\n```\n";
        assertEquals(Optional.of("{\"a\": 1}\n"), Extract.lastFence(text, "json"));
        assertEquals(Optional.of("2\n"), Extract.lastFence("```\n1\n```\n```\n2\n```", "json"));
        assertEquals(Optional.empty(), Extract.lastFence("{\"a\": 1}", "json"));
    }

    @Test
    void modesNameWhatIsAbsent() {
        assertEquals("no \\boxed{}", Extract.Mode.BOXED.absent());
        assertEquals("no number", Extract.Mode.LAST_NUMBER.absent());
        assertEquals("last-number", Extract.Mode.LAST_NUMBER.toString());
        assertEquals(Optional.of(" x "), Extract.Mode.NONE.apply(" x "));
    }
}
