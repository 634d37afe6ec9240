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
    void objectiveNamesAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new Objective("bad name", Direction.MAXIMIZE));
        assertEquals(-1.0, Direction.MINIMIZE.sign());
    }
}
