package troupe.core.algo.preference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The worked examples of §10 for APO's momentum step, reward-augmented pairs and the ranking metrics. */
class PreferenceFamilyMathTest {

    @Test
    void apoExtrapolatesTheTrainedWeightsAwayFromThePreviousOnes() {
        assertArrayEquals(new float[] {1.65f, 0.7f},
                ApoExtrapolation.extrapolate(new float[] {1, 2}, new float[] {1.5f, 1}, 0.3), 1e-6f);
        Map<String, float[]> previous = new LinkedHashMap<>(Map.of("w", new float[] {1, 2}));
        Map<String, float[]> trained = new LinkedHashMap<>(Map.of("w", new float[] {1.5f, 1}));
        // α = 0: the trained weights themselves — iterative DPO
        assertArrayEquals(new float[] {1.5f, 1}, ApoExtrapolation.extrapolate(previous, trained, 0).get("w"), 0f);
        assertThrows(IllegalArgumentException.class,
                () -> ApoExtrapolation.extrapolate(Map.of("v", new float[] {1}), Map.of("w", new float[] {1}), 0.3));
    }

    @Test
    void aScoredPairBecomesTwoTargetConditionedPairsThatPointOppositeWays() {
        RewardConditioning c = new RewardConditioning("{prompt} (target {target})", 1);
        List<RewardConditioning.ConditionedPair> pairs = c.augment("abc", 3, 0.92, 5, 0.25);
        assertEquals(List.of(new RewardConditioning.ConditionedPair("abc (target 0.9)", "0.9", 3, 5),
                new RewardConditioning.ConditionedPair("abc (target 0.3)", "0.3", 5, 3)), pairs);
        assertEquals("target 1.00: x {target}", new RewardConditioning("target {target}: {prompt}", 2)
                .render("x {target}", 1.0), "a placeholder inside the prompt text is left alone");
        assertThrows(IllegalArgumentException.class, () -> new RewardConditioning("{prompt} only", 1));
        assertThrows(IllegalArgumentException.class, () -> new RewardConditioning("{prompt}{target}{target}", 1));
    }

    @Test
    void idealisedMarginOfSection10IsRight() {
        double alpha = 1 / (1 + Math.exp(-0.5));
        assertEquals(4.6, RankingStats.idealisedMargin(-0.4, 0.1, alpha), 1e-12);
        assertTrue(RankingStats.idealisedMargin(-0.4, 0.1, 0.5) < 0, "no true preference: the reference decides");
    }

    @Test
    void rankingAccuracyUsesSumsAndIdealisedUsesTheGoldGap() {
        // pair 0: policy ranks right (−10 > −12); pair 1: wrong (−5 < −4)
        double[] pc = {-10, -5};
        double[] pr = {-12, -4};
        double[] rc = {-11, -4.6};
        double[] rr = {-11, -4.2}; // Δref = 0 and −0.4
        // gold gaps 0.5 and 0.01: pair 1's idealised margin −0.4 + 0.1 < 0 → wrong
        RankingStats s = RankingStats.of(pc, pr, rc, rr, new double[] {1.5, 0.51}, new double[] {1.0, 0.5}, 0.1);
        assertEquals(0.5, s.rankingAccuracy(), 0);
        assertEquals(0.5, s.idealisedRankingAccuracy(), 0);
        assertEquals(((-10 + 11) + (-5 + 4.6)) / 2, s.chosenDrift(), 1e-12);
        assertEquals(((-12 + 11) + (-4 + 4.2)) / 2, s.rejectedDrift(), 1e-12);
        assertEquals(2, s.pairs());
        assertTrue(Double.isNaN(RankingStats.of(pc, pr, rc, rr, null, null, 0.1).idealisedRankingAccuracy()));
        assertEquals(RankingStats.NONE, RankingStats.of(new double[0], new double[0], new double[0], new double[0],
                null, null, 0.1));
    }
}
