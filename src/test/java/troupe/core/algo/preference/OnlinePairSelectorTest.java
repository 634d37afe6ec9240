package troupe.core.algo.preference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class OnlinePairSelectorTest {

    @Test
    void firstMaximumIsChosenAndMinimumRejected() {
        assertEquals(new OnlinePairSelector.Pair(1, 0), OnlinePairSelector.select(new double[] {0.2, 0.9, 0.5, 0.9}).orElseThrow());
    }

    @Test
    void promptWithAllEqualRewardsIsSkipped() {
        assertTrue(OnlinePairSelector.select(new double[] {0.3, 0.3}).isEmpty());
        assertEquals(List.of(new OnlinePairSelector.Pair(3, 2)),
                OnlinePairSelector.selectAll(new double[] {1, 1, 0, 2}, new int[] {5, 5, 6, 6}));
    }

    @Test
    void promptWhoseRewardsSpanAtMostTheMinimumGapIsSkipped() {
        assertTrue(OnlinePairSelector.select(new double[] {0.2, 0.45, 0.3}, 0.25).isEmpty());
        assertEquals(new OnlinePairSelector.Pair(1, 0),
                OnlinePairSelector.select(new double[] {0.2, 0.46, 0.3}, 0.25).orElseThrow());
        assertEquals(List.of(new OnlinePairSelector.Pair(3, 2)),
                OnlinePairSelector.selectAll(new double[] {1, 1.1, 0, 2}, new int[] {5, 5, 6, 6}, 0.5));
        assertThrows(IllegalArgumentException.class, () -> OnlinePairSelector.select(new double[] {0, 1}, -1));
    }

    @Test
    void fewerThanTwoSamplesIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> OnlinePairSelector.select(new double[] {1}));
    }
}
