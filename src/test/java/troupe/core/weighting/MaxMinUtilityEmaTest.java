package troupe.core.weighting;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import troupe.core.reward.Direction;
import troupe.core.reward.Objective;

/**
 * Max-min's utilities are an EMA over steps, U ← ema·U + (1 − ema)·mean, and survive a
 * checkpoint; worked by hand (mutation testing found the second step unpinned).
 */
class MaxMinUtilityEmaTest {
    private static final Objective ACC = new Objective("acc", Direction.MAXIMIZE);
    private static final Objective FMT = new Objective("fmt", Direction.MAXIMIZE);
    private static final WeightingInput FIRST = WeightingInput.of(List.of(ACC, FMT),
            new double[][] {{0.6, 0.5}, {0.8, 0.3}}, new long[] {0, 0}); // means (0.7, 0.4)
    private static final WeightingInput SECOND = WeightingInput.of(List.of(ACC, FMT),
            new double[][] {{0.2, 0.9}}, new long[] {0}); // means (0.2, 0.9)

    private static MaxMinStrategy strategy() {
        return new MaxMinStrategy(MaxMinStrategy.NAME, new MaxMinStrategy.Settings(0, 0.25),
                new SimplexSettings(Map.of(), 0), List.of(ACC, FMT));
    }

    /** Step 2: U_acc = 0.25·0.7 + 0.75·0.2 = 0.325, U_fmt = 0.25·0.4 + 0.75·0.9 = 0.775: acc is now the worst. */
    private static void assertSecondStep(WeightingResult r) {
        assertEquals(0.325, r.diagnostics().get("maxmin.U.acc"), 1e-12);
        assertEquals(0.775, r.diagnostics().get("maxmin.U.fmt"), 1e-12);
        assertEquals(Map.of("acc", 1.0, "fmt", 0.0), r.weights());
    }

    @Test
    void utilitiesAreAnExponentialAverageOverSteps() {
        MaxMinStrategy s = strategy();
        WeightingResult first = s.step(FIRST);
        assertEquals(0.7, first.diagnostics().get("maxmin.U.acc"), 1e-12);
        assertEquals(0.4, first.diagnostics().get("maxmin.U.fmt"), 1e-12);
        assertSecondStep(s.step(SECOND));
    }

    @Test
    void restoredUtilitiesContinueTheAverage() {
        MaxMinStrategy s = strategy();
        s.step(FIRST);
        MaxMinStrategy restored = strategy();
        restored.restoreState(s.exportState());
        assertSecondStep(restored.step(SECOND));
    }
}
