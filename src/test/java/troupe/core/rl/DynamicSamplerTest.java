package troupe.core.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import troupe.core.algo.dapo.DynamicSamplingSettings;
import troupe.core.reward.Direction;
import troupe.core.reward.Objective;
import troupe.core.rollout.RolloutBatch;
import troupe.core.rollout.Sample;
import troupe.core.rollout.SamplingParams;
import troupe.core.rollout.StageTiming;

class DynamicSamplerTest {
    private static final SamplingParams SAMPLING = new SamplingParams(1f, 0, 1f, 6, 1, false, 1f);

    /** Groups of two samples; {@code scores[g]} = the two scores of group g on objectives "a" and "b". */
    private static RolloutBatch batch(long id, long version, double[][][] scores) {
        List<Sample> samples = new ArrayList<>();
        float[][] cols = new float[2][scores.length * 2];
        for (int g = 0; g < scores.length; g++) {
            for (int j = 0; j < 2; j++) {
                samples.add(Sample.sampled("b" + id + "g" + g, g, new int[] {5}, new int[] {1, 2},
                        new float[] {-1f, -1f}, new float[] {-1f, -1f}, false, "q", "a", "test", Map.of()));
                cols[0][g * 2 + j] = (float) scores[g][0][j];
                cols[1][g * 2 + j] = (float) scores[g][1][j];
            }
        }
        return RolloutBatch.sampled("run", id, version, SAMPLING, samples, new StageTiming("generate", 1, ""))
                .withRewards(List.of(new Objective("a", Direction.MAXIMIZE), new Objective("b", Direction.MAXIMIZE)),
                        cols, List.of());
    }

    private static final double[][] SAME = {{1, 1}, {2, 2}};
    private static final double[][] VARIES = {{1, 0}, {2, 2}};

    @Test
    void dropsZeroVarianceGroupsAndFillsTheStepFromTheNextBatch() {
        DynamicSampler sampler = new DynamicSampler(new DynamicSamplingSettings(10, ""), 2);
        DynamicSampler.Outcome first = sampler.offer(batch(1, 3, new double[][][] {SAME, VARIES}));
        DynamicSampler.Waiting waiting = assertInstanceOf(DynamicSampler.Waiting.class, first);
        assertEquals(new DynamicSampler.Part(1, 3, 1, 2), waiting.part());
        assertEquals(1, sampler.pending().size());

        DynamicSampler.Ready ready = assertInstanceOf(DynamicSampler.Ready.class,
                sampler.offer(batch(2, 3, new double[][][] {SAME, VARIES, VARIES})));
        RolloutBatch merged = ready.batch();
        assertEquals(2, merged.batchId(), "the completing batch names the step");
        assertEquals(List.of("b1g1", "b1g1", "b2g1", "b2g1"), merged.samples().stream().map(Sample::promptId).toList());
        assertEquals(List.of(0L, 0L, 1L, 1L), merged.samples().stream().map(Sample::groupId).toList(),
                "group ids renumbered: both batches had a group 1");
        assertEquals(List.of(new DynamicSampler.Part(1, 3, 1, 2), new DynamicSampler.Part(2, 3, 1, 3)),
                ready.stats().parts());
        assertEquals(2, ready.stats().groupsKept());
        assertEquals(2, ready.stats().groupsDropped(), "one all-equal group per batch; the surplus group is not counted");
        assertFalse(ready.stats().capReached());
        assertTrue(sampler.pending().isEmpty());
    }

    @Test
    void atTheCapTrainsOnWhatItHasOrOnTheLastBatchWhenNothingWasKept() {
        DynamicSampler sampler = new DynamicSampler(new DynamicSamplingSettings(2, ""), 2);
        sampler.offer(batch(1, 0, new double[][][] {SAME, SAME}));
        RolloutBatch last = batch(2, 0, new double[][][] {SAME, SAME});
        DynamicSampler.Ready ready = assertInstanceOf(DynamicSampler.Ready.class, sampler.offer(last));
        assertSame(last, ready.batch());
        assertTrue(ready.stats().capReached());
        assertEquals(0, ready.stats().groupsKept());
        assertEquals(4, ready.stats().groupsDropped());

        sampler.offer(batch(3, 1, new double[][][] {SAME, VARIES}));
        ready = assertInstanceOf(DynamicSampler.Ready.class, sampler.offer(batch(4, 1, new double[][][] {SAME, SAME})));
        assertEquals(1, ready.stats().groupsKept());
        assertEquals(2, ready.batch().size());
        assertEquals("b3g1", ready.batch().samples().get(0).promptId());
    }

    @Test
    void filtersOnTheNamedObjectiveOnly() {
        DynamicSampler sampler = new DynamicSampler(new DynamicSamplingSettings(0, "b"), 1);
        // "a" varies, "b" does not: no signal on the objective that decides
        assertInstanceOf(DynamicSampler.Waiting.class, sampler.offer(batch(1, 0, new double[][][] {VARIES})));
        assertInstanceOf(DynamicSampler.Ready.class,
                sampler.offer(batch(2, 0, new double[][][] {{{1, 1}, {0, 1}}})));
        DynamicSampler wrong = new DynamicSampler(new DynamicSamplingSettings(0, "c"), 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> wrong.offer(batch(1, 0, new double[][][] {VARIES})));
        assertTrue(e.getMessage().contains("dynamic-sampling.objective"), e.getMessage());
    }
}
