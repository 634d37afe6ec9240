package troupe.core.algo.dapo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import troupe.core.TestSettings;

class DapoTest {

    @Test
    void groupWithAllEqualRewardsIsDropped() {
        assertFalse(DynamicSampling.hasVariance(new double[] {1, 1, 1, 1}));
        int[] kept = DynamicSampling.keptIndices(new double[] {1, 1, 1, 1, 0, 1, 0.5, 0.5}, new int[] {0, 0, 0, 0, 1, 1, 2, 2});
        assertArrayEquals(new int[] {4, 5}, kept);
    }

    @Test
    void fillerAccumulatesGroupsUntilTheBatchIsFull() {
        GroupBatchFiller<String> filler = new GroupBatchFiller<>(2);
        assertFalse(filler.offer("easy", new double[] {1, 1, 1, 1}));
        assertTrue(filler.offer("a", new double[] {1, 0}));
        assertFalse(filler.isFull());
        assertTrue(filler.offer("b", new double[] {0, 0.5}));
        assertTrue(filler.isFull());
        assertFalse(filler.offer("c", new double[] {0, 1}));
        assertEquals(1, filler.droppedCount());
        assertEquals(List.of("a", "b"), filler.drain());
        assertEquals(0, filler.keptCount());
    }

    @Test
    void overlongShapingIsMinusHalfMidwayThroughTheBuffer() {
        // The paper's L_max = 20480, L_c = 4096 (reference.conf: the batch's limit and 4 tokens).
        OverlongSettings s = TestSettings.overlong().withMaxLength(20480).withBuffer(4096);
        assertEquals(-0.5, OverlongPenalty.of(18432, s), 1e-12);
        assertEquals(0.0, OverlongPenalty.of(16384, s), 0);
        assertEquals(-1.0, OverlongPenalty.of(20480, s), 1e-12);
        assertEquals(-1.0, OverlongPenalty.of(30000, s), 0);
    }

    @Test
    void aGroupScoredOnSeveralObjectivesIsKeptWhenAnyObjectiveVaries() {
        GroupBatchFiller<String> filler = new GroupBatchFiller<>(2);
        assertFalse(filler.offer("same", new double[][] {{1, 1}, {0.5, 0.5}}));
        assertTrue(filler.offer("length differs", new double[][] {{1, 1}, {3, 4}}));
        assertEquals(1, filler.droppedCount());
    }
}
