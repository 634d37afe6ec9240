package troupe.core.algo.advantage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import troupe.core.TestSettings;

class ReinforcePlusPlusEstimatorTest {

    private static final double[][] MASK = {{1, 1, 1, 0}, {1, 1, 0, 0}};
    private static final double[][] REWARDS = {{-0.1, 0.2, 1.0, 0}, {0.3, -1.0, 0, 0}};

    @Test
    void returnsAreDiscountedRewardToGoResetAfterEos() {
        AdvantageSettings s = TestSettings.advantage().withGae(0.5, 1.0);
        AdvantageResult r = AdvantageEstimators.create("reinforce++", s)
                .compute(AdvantageInput.outcome(new double[2], new int[] {0, 1}, MASK).withTokenRewards(REWARDS));
        assertArrayEquals(new double[] {-0.1 + 0.5 * (0.2 + 0.5), 0.2 + 0.5, 1.0, 0}, r.returns()[0], 1e-12);
        assertArrayEquals(new double[] {0.3 - 0.5, -1.0, 0, 0}, r.returns()[1], 1e-12);
    }

    @Test
    void advantagesAreWhitenedOverAllRealTokensOfTheBatch() {
        AdvantageResult r = AdvantageEstimators.create("reinforce++", TestSettings.advantage())
                .compute(AdvantageInput.outcome(new double[2], new int[] {0, 1}, MASK).withTokenRewards(REWARDS));
        assertWhitened(r.advantages(), MASK);
    }

    @Test
    void baselineVariantSubtractsGroupMeanThenWhitens() {
        double[] scores = {1, 0, 0.5, 0.5};
        int[] ids = {0, 0, 1, 1};
        double[][] mask = {{1, 1}, {1, 0}, {1, 1}, {1, 0}};
        AdvantageResult r = AdvantageEstimators.create("reinforce++-baseline", TestSettings.advantage())
                .compute(AdvantageInput.outcome(scores, ids, mask));
        assertWhitened(r.advantages(), mask);
        // group 1 is tied: centred 0, whitened to −mean/std, identical on all its tokens
        assertEquals(r.advantages()[2][0], r.advantages()[3][0], 1e-12);
        assertEquals(0, r.advantages()[1][1], 0);
    }

    static void assertWhitened(double[][] a, double[][] mask) {
        double n = 0;
        double sum = 0;
        double sq = 0;
        for (int i = 0; i < a.length; i++) {
            for (int t = 0; t < a[i].length; t++) {
                if (mask[i][t] != 0) {
                    n++;
                    sum += a[i][t];
                    sq += a[i][t] * a[i][t];
                } else {
                    assertEquals(0, a[i][t], 0);
                }
            }
        }
        assertEquals(0, sum / n, 1e-9);
        assertEquals(1, (sq - sum * sum / n) / (n - 1), 1e-6);
    }
}
