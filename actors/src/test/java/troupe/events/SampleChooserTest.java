package troupe.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import troupe.core.reward.Direction;
import troupe.core.reward.Objective;
import troupe.core.rollout.RolloutBatch;
import troupe.core.rollout.Sample;
import troupe.core.rollout.SamplingParams;
import troupe.core.rollout.StageTiming;
import troupe.proto.v1.SampleResponse;

class SampleChooserTest {

    /** {@code groups} groups of 4; response text "g<group>s<index>", correct = index, length = 10 − index. */
    private static RolloutBatch batch(int groups, String prompt) {
        List<Sample> samples = new ArrayList<>();
        int n = groups * 4;
        float[][] cols = new float[2][n];
        for (int i = 0; i < n; i++) {
            samples.add(Sample.sampled("p" + i / 4, i / 4, new int[] {5}, new int[] {1, 2, 3}, new float[3],
                    new float[3], i % 4 == 3, prompt, "g" + i / 4 + "s" + i, "test", Map.of()));
            cols[0][i] = i;
            cols[1][i] = 10 - i;
        }
        return RolloutBatch.sampled("run", 1, 0, new SamplingParams(1f, 0, 1f, 8, 0, false, 1f), samples,
                new StageTiming("generate", 1, "")).withRewards(List.of(new Objective("correct", Direction.MAXIMIZE),
                new Objective("length", Direction.MINIMIZE)), cols, List.of());
    }

    @Test
    void bestAndWorstOfGroupsSpreadOverTheBatchFirstGroupFirst() {
        RolloutBatch b = batch(4, "q");
        double[] scalar = new double[16];
        for (int i = 0; i < 16; i++) {
            scalar[i] = (i % 4 == 1) ? 2 : (i % 4 == 2) ? -1 : 0; // best: index 1 of each group, worst: index 2
        }
        List<SampleResponse> picked = SampleChooser.choose(b, scalar, new SampleChooser.Settings(4, 100));
        assertEquals(List.of("g0s1", "g0s2", "g2s9", "g2s10"), picked.stream().map(SampleResponse::getResponse).toList());
        assertEquals(List.of("best", "worst", "best", "worst"), picked.stream().map(SampleResponse::getPick).toList());
        SampleResponse first = picked.get(0);
        assertEquals(2.0, first.getScalarReward());
        assertEquals(0, first.getGroupId());
        assertEquals(3, first.getResponseTokens());
        assertEquals("correct", first.getScores(0).getObjective());
        assertEquals(1.0, first.getScores(0).getValue());
        assertEquals("length", first.getScores(1).getObjective());
        assertEquals(9.0, first.getScores(1).getValue());
        assertFalse(first.getTextCut());
        assertFalse(first.getLengthLimited());
    }

    @Test
    void anOddCountEndsOnABestAndNoneGivesNothing() {
        RolloutBatch b = batch(4, "q");
        double[] scalar = new double[16];
        for (int i = 0; i < 16; i++) {
            scalar[i] = i % 4;
        }
        List<SampleResponse> picked = SampleChooser.choose(b, scalar, new SampleChooser.Settings(3, 100));
        // groups 0 and 2 (spread over four); in a group the last response scored highest
        assertEquals(List.of("g0s3", "g0s0", "g2s11"), picked.stream().map(SampleResponse::getResponse).toList());
        assertTrue(picked.get(0).getLengthLimited(), "index 3 of each group hit the length limit");
        assertEquals(List.of(), SampleChooser.choose(b, scalar, SampleChooser.Settings.NONE));
    }

    @Test
    void withoutScalarRewardsRanksByTheFirstObjectiveAndSaysTheRewardIsUnknown() {
        List<SampleResponse> picked = SampleChooser.choose(batch(1, "q"), new double[0],
                new SampleChooser.Settings(4, 100));
        assertEquals(List.of("g0s3", "g0s0"), picked.stream().map(SampleResponse::getResponse).toList(),
                "one group gives two: its best and worst by correct");
        assertTrue(Double.isNaN(picked.get(0).getScalarReward()));
    }

    @Test
    void longTextIsCutToTheCapEndingInAnEllipsisWithoutSplittingASurrogatePair() {
        String prompt = "x".repeat(30);
        SampleResponse s = SampleChooser.choose(batch(1, prompt), new double[4], new SampleChooser.Settings(1, 20))
                .get(0);
        assertEquals("x".repeat(19) + "…", s.getPrompt());
        assertEquals(20, s.getPrompt().length());
        assertTrue(s.getTextCut());
        assertEquals("ab…", SampleChooser.cut("ab\uD83D\uDE00cd", 4), "the emoji would be split: cut before it");
        assertEquals("abc", SampleChooser.cut("abc", 3));
    }
}
