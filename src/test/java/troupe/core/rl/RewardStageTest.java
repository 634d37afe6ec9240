package troupe.core.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import troupe.core.algo.advantage.AdvantageEstimators;
import troupe.core.algo.advantage.AdvantageSettings;
import troupe.core.weighting.WeightingResult;
import troupe.core.TestSettings;

class RewardStageTest {

    /** GRPO with the std of each group (reference.conf runs with grpo-scale = batch). */
    private static final AdvantageSettings GROUP_SCALE = TestSettings.advantage().withGrpoScale("group");

    private static WeightingResult rewards(double... r) {
        return new WeightingResult(r, WeightingResult.Kind.REWARD, Map.of(), Map.of(), 1, Map.of());
    }

    private static LearnerBatch batch(double[][] oldLogp, double[][] ref, int[] lengths, int[] groups) {
        int n = lengths.length;
        int l = oldLogp[0].length;
        int[][] prompts = new int[n][];
        int[][] responses = new int[n][];
        double[][] mask = new double[n][l];
        for (int i = 0; i < n; i++) {
            prompts[i] = new int[] {1};
            responses[i] = new int[lengths[i]];
            for (int t = 0; t < lengths[i]; t++) {
                mask[i][t] = 1;
            }
        }
        return new LearnerBatch(prompts, responses, mask, oldLogp, ref, groups, l);
    }

    @Test
    void gaeWithKlInTheRewardReproducesTheSection3WorkedExample() {
        // k1 = old − ref = [0.2, −0.5, 0.1]; score 1 on the last token; β = 0.1; V = [0.5, 0.6, 0.7]
        double[][] old = {{-1.0, -2.0, -1.5}};
        double[][] ref = {{-1.2, -1.5, -1.6}};
        AdvantageSettings s = TestSettings.advantage().withEstimator("gae").withGae(1.0, 0.95);
        RewardStage.Shaping step = new RewardStage.Shaping(AdvantageEstimators.create(s), true, TestSettings.kl(),
                Optional.empty());
        RewardStage.Result r = step.compute(rewards(1.0), batch(old, ref, new int[] {3}, new int[] {0}), scored(old),
                Optional.of(new double[][] {{0.5, 0.6, 0.7}}), 0.1, 8);
        assertArrayEquals(new double[] {-0.02, 0.05, 0.99}, r.tokenRewards()[0], 1e-12, "score − β·k1 per token");
        assertArrayEquals(new double[] {0.984225, 1.0255, 0.99}, r.returns()[0], 1e-6);
        assertArrayEquals(new double[] {0.846472, 0.256920, -1.103392}, r.advantages()[0], 1e-6);
        assertEquals(0.1 * (0.2 - 0.5 + 0.1) / 3, r.klPenaltyMean(), 1e-12);
        assertEquals((0.2 - 0.5 + 0.1) / 3, r.currentKl(), 1e-12);
    }

    @Test
    void klAsALossLeavesTheRewardsAlone() {
        double[][] old = {{-1.0, -2.0}, {-1.0, -2.0}};
        double[][] ref = {{-3.0, -3.0}, {-3.0, -3.0}};
        RewardStage.Shaping step = new RewardStage.Shaping(AdvantageEstimators.create(GROUP_SCALE), false,
                TestSettings.kl(), Optional.empty());
        RewardStage.Result r = step.compute(rewards(1, 0), batch(old, ref, new int[] {2, 2}, new int[] {0, 0}),
                scored(old), Optional.empty(), 0.5, 8);
        assertNull(r.tokenRewards());
        assertEquals(0, r.klPenaltyMean(), 0);
        assertEquals(0.5 / Math.sqrt(0.5), r.advantages()[0][0], 1e-5, "GRPO of [1, 0] is unchanged by the KL");
    }

    @Test
    void overlongShapingTurnsATieIntoAPreferenceForTheShorterAnswer() {
        double[][] zeros = new double[2][6];
        RewardStage.Shaping step = new RewardStage.Shaping(AdvantageEstimators.create(GROUP_SCALE), false,
                TestSettings.kl(), Optional.of(TestSettings.overlong().withMaxLength(0).withBuffer(4)));
        // limit 6 (the batch's max-new-tokens), buffer 4: length 2 → 0, length 6 → −1
        RewardStage.Result r = step.compute(rewards(1, 1), batch(zeros, zeros, new int[] {2, 6}, new int[] {0, 0}),
                scored(zeros), Optional.empty(), 0, 6);
        assertEquals(-0.5, r.overlongMean(), 1e-12);
        assertEquals(0.5 / Math.sqrt(0.5), r.advantages()[0][0], 1e-5);
        assertEquals(-0.5 / Math.sqrt(0.5), r.advantages()[1][5], 1e-5);
    }

    private static StepInput.OldLogProbs scored(double[][] logp) {
        return new StepInput.OldLogProbs.Scored(java.util.List.of(), logp);
    }
}
