package troupe.core.algo.ranking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import troupe.core.algo.ranking.RaftSelection.Mode;
import troupe.core.algo.ranking.RaftSelection.Rule;

class RaftSelectionTest {
    private static final double[] EXAMPLE = {0.2, 0.9, 0.5, 0.9};
    private static final int[] ONE_GROUP = {0, 0, 0, 0};

    @Test
    void workedExampleTopOneKeepsTheFirstOfTheTiedBest() {
        assertArrayEquals(new int[] {1}, RaftSelection.select(EXAMPLE, ONE_GROUP, new Rule(Mode.TOP_1, 1, 0)));
    }

    @Test
    void workedExampleTopHalfOfTheBatch() {
        assertArrayEquals(new int[] {1, 3}, RaftSelection.select(EXAMPLE, ONE_GROUP, new Rule(Mode.TOP_FRACTION, 0.5, 0)));
    }

    @Test
    void topOnePicksPerGroupAndTopFractionIsGlobal() {
        double[] r = {0.1, 0.3, 0.9, 0.8, 0.7, 0.2};
        int[] groups = {7, 7, 7, 4, 4, 4};
        assertArrayEquals(new int[] {2, 3}, RaftSelection.select(r, groups, new Rule(Mode.TOP_1, 1, 0)));
        // the best third of the batch is {0.9, 0.8}, both of which may come from one group
        assertArrayEquals(new int[] {2, 3}, RaftSelection.select(r, groups, new Rule(Mode.TOP_FRACTION, 1.0 / 3, 0)));
        assertArrayEquals(new int[] {2}, RaftSelection.select(r, groups, new Rule(Mode.TOP_FRACTION, 0.01, 0)),
                "at least one");
        assertArrayEquals(new int[] {2, 3, 4}, RaftSelection.select(r, groups, new Rule(Mode.THRESHOLD, 1, 0.7)),
                "reward >= threshold");
        assertArrayEquals(new int[0], RaftSelection.select(r, groups, new Rule(Mode.THRESHOLD, 1, 2)));
    }

    @Test
    void aGroupOfIdenticalRewardsKeepsItsLowestIndex() {
        double[] r = {0.5, 0.5, 0.5, 0.5};
        assertArrayEquals(new int[] {0}, RaftSelection.select(r, ONE_GROUP, new Rule(Mode.TOP_1, 1, 0)));
        assertArrayEquals(new int[] {0, 1}, RaftSelection.select(r, ONE_GROUP, new Rule(Mode.TOP_FRACTION, 0.5, 0)));
        assertArrayEquals(new int[] {0, 1, 2, 3}, RaftSelection.select(r, ONE_GROUP, new Rule(Mode.THRESHOLD, 1, 0.5)));
    }

    @Test
    void rejectsAFractionOutsideZeroToOne() {
        assertThrows(IllegalArgumentException.class, () -> new Rule(Mode.TOP_FRACTION, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Rule(Mode.TOP_FRACTION, 1.5, 0));
    }
}
