package troupe.core.rollout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import troupe.core.reward.Direction;
import troupe.core.reward.Objective;
import troupe.core.reward.ScorerFault;
import troupe.core.reward.ScorerFault.Kind;
import troupe.core.reward.ScoringOutcome;

class RolloutBatchTest {

    static Sample sample(long group, int... response) {
        float[] lp = new float[response.length];
        return Sample.sampled("p" + group, group, new int[] {1, 2}, response, lp, lp, false, "q", "a", "t", Map.of());
    }

    static RolloutBatch batch() {
        SamplingParams sp = new SamplingParams(1f, 0, 1f, 8, 1, false, 1f);
        return RolloutBatch.sampled("run", 3, 7, sp, List.of(sample(0, 5, 6), sample(0, 7)),
                new StageTiming("generate", 1.5, ""));
    }

    @Test
    void stagesAddColumnsWithoutTouchingTheInput() {
        RolloutBatch b = batch();
        Objective acc = new Objective("accuracy", Direction.MAXIMIZE);
        Objective len = new Objective("length", Direction.MINIMIZE);
        RolloutBatch scored = b.withRewards(List.of(acc, len), new float[][] {{1, 0}, {2, 1}}, List.of());
        RolloutBatch ref = scored.withReferenceLogprobs(new float[][] {{-1, -2}, {-3}});

        assertEquals(0, b.samples().get(0).rewards().length, "input batch unchanged");
        assertArrayEquals(new float[] {1, 2}, ref.samples().get(0).rewards());
        assertArrayEquals(new float[] {0, 1}, ref.samples().get(1).rewards());
        assertArrayEquals(new float[] {-3}, ref.samples().get(1).referenceLogprobs());
        assertEquals(List.of(acc, len), ref.objectives());
        assertEquals(7, ref.policyVersion());
    }

    @Test
    void rejectsColumnsThatDoNotMatchTheBatch() {
        Objective acc = new Objective("accuracy", Direction.MAXIMIZE);
        var e = assertThrows(IllegalArgumentException.class,
                () -> batch().withRewards(List.of(acc), new float[][] {{1}}, List.of()));
        assertTrue(e.getMessage().contains("accuracy"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> batch().withReferenceLogprobs(new float[][] {{-1, -2}, {-3, -4}}));
    }

    @Test
    void outcomesKeepGoodColumnsAndListFaultsAfterEarlierOnes() {
        Objective acc = new Objective("acc", Direction.MAXIMIZE);
        Objective len = new Objective("len", Direction.MINIMIZE);
        List<ScoringOutcome> outcomes = List.of(new ScoringOutcome.Scored(acc, new float[] {1, 0}, 1),
                new ScoringOutcome.Faulted(new ScorerFault("nan", Kind.NON_FINITE, "NaN"), 1),
                new ScoringOutcome.Scored(len, new float[] {3, 4}, 1),
                new ScoringOutcome.Scored(acc, new float[] {9, 9}, 1));
        RolloutBatch scored = batch().withRewards(outcomes,
                List.of(new ScorerFault("q", Kind.UNAVAILABLE, "quarantined")));

        assertEquals(List.of(acc, len), scored.objectives());
        assertArrayEquals(new float[] {0, 4}, scored.samples().get(1).rewards());
        assertEquals(List.of(Kind.UNAVAILABLE, Kind.NON_FINITE, Kind.EXCEPTION),
                scored.faults().stream().map(ScorerFault::kind).toList());
        assertTrue(scored.faults().get(2).detail().contains("duplicate column for objective 'acc'"));
    }

    @Test
    void objectiveNamesAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new Objective("bad name", Direction.MAXIMIZE));
        assertEquals(-1.0, Direction.MINIMIZE.sign());
    }
}
