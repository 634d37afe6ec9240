package troupe.core.weighting;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import troupe.core.reward.Direction;
import troupe.core.reward.Objective;

/**
 * Mirror descent with {@code accumulate = 2}, η = ln 2, from weights (½, ½), worked by hand:
 * importances are averaged over the accumulated steps, cleared after each update, and carried
 * across a restore (mutation testing found these unpinned).
 */
class MirrorDescentAccumulationTest {
    private static final Objective ACC = new Objective("acc", Direction.MAXIMIZE);
    private static final Objective FMT = new Objective("fmt", Direction.MAXIMIZE);
    /** After two steps: I = ((1 + 3)/2, (0 + 1)/2) = (2, ½); w ∝ ½·2², ½·2^½ → acc = 4 / (4 + √2). */
    private static final double FIRST_UPDATE = 4 / (4 + Math.sqrt(2));

    private static MirrorDescentStrategy strategy() {
        return new MirrorDescentStrategy(new MirrorDescentStrategy.Settings(Math.log(2), 2),
                new SimplexSettings(Map.of(), 0), List.of(ACC, FMT));
    }

    /** One step whose Gram rows sum to {@code acc} and {@code fmt}. */
    private static WeightingResult step(MirrorDescentStrategy s, double acc, double fmt) {
        return s.step(new WeightingInput(List.of(ACC, FMT), new double[][] {{0.5, 0.5}}, new long[] {0}, Map.of(),
                new double[][] {{acc, 0}, {0, fmt}}));
    }

    @Test
    void updatesEveryTwoStepsFromTheMeanImportanceAndStartsAfresh() {
        MirrorDescentStrategy s = strategy();
        assertEquals(0.5, step(s, 1, 0).weights().get("acc"), 1e-12); // accumulating, no update yet
        assertEquals(FIRST_UPDATE, step(s, 3, 1).weights().get("acc"), 1e-12);
        step(s, 0, 4);
        // I = (0, 2) from the last two steps only: acc ∝ w_acc, fmt ∝ 4·w_fmt → √2 − 1
        assertEquals(Math.sqrt(2) - 1, step(s, 0, 0).weights().get("acc"), 1e-12);
    }

    @Test
    void aRestoredStrategyKeepsWhatItHadAccumulated() {
        MirrorDescentStrategy s = strategy();
        step(s, 1, 0);
        MirrorDescentStrategy restored = strategy();
        restored.restoreState(s.exportState());
        assertEquals(FIRST_UPDATE, step(restored, 3, 1).weights().get("acc"), 1e-12);
    }

    @Test
    void anUpdateKeepsTheMassOfTheObjectivesItMoves() {
        // logits ln 0.2 + ln 2, ln 0.3 → (0.4, 0.3) / 0.7, times the mass 0.5
        assertArrayEquals(new double[] {0.2 / 0.7, 0.15 / 0.7},
                MirrorDescentStrategy.update(new double[] {0.2, 0.3}, new double[] {1, 0}, Math.log(2)), 1e-12);
    }
}
