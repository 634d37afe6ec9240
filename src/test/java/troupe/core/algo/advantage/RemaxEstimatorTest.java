package troupe.core.algo.advantage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import troupe.core.TestSettings;

class RemaxEstimatorTest {

    @Test
    void advantageIsSampleRewardMinusGreedyReward() {
        double[][] mask = {{1, 1, 0}, {1, 1, 1}};
        AdvantageInput in = AdvantageInput.outcome(new double[] {1.0, 0.2}, new int[] {0, 1}, mask)
                .withBaselineScores(new double[] {0.4, 0.5});
        double[][] a = AdvantageEstimators.create("remax", TestSettings.advantage()).compute(in).advantages();
        assertArrayEquals(new double[] {0.6, 0.6, 0}, a[0], 1e-12);
        assertArrayEquals(new double[] {-0.3, -0.3, -0.3}, a[1], 1e-12);
    }

    @Test
    void returnsAreTheRewardToGoBeforeTheBaselineLikeVerl() {
        // verl compute_remax_outcome_advantage: returns = reverse cumsum of the token rewards,
        // advantages = returns − baseline; here with rewards on two tokens of the first row
        double[][] mask = {{1, 1, 1, 0}, {1, 1, 0, 0}};
        AdvantageInput in = AdvantageInput.outcome(new double[] {1.5, 0.2}, new int[] {0, 1}, mask)
                .withTokenRewards(new double[][] {{0.5, 0, 1.0, 0}, {0, 0.2, 0, 0}})
                .withBaselineScores(new double[] {0.4, 0.5});
        AdvantageResult r = AdvantageEstimators.create("remax", troupe.core.TestSettings.advantage()).compute(in);
        assertArrayEquals(new double[] {1.5, 1.0, 1.0, 0}, r.returns()[0], 1e-12);
        assertArrayEquals(new double[] {0.2, 0.2, 0, 0}, r.returns()[1], 1e-12);
        assertArrayEquals(new double[] {1.1, 0.6, 0.6, 0}, r.advantages()[0], 1e-12);
        assertArrayEquals(new double[] {-0.3, -0.3, 0, 0}, r.advantages()[1], 1e-12);
    }

    @Test
    void remaxWithoutGreedyBaselineFailsClearly() {
        AdvantageInput in = AdvantageInput.outcome(new double[] {1}, new int[] {0}, new double[][] {{1}});
        assertThrows(IllegalArgumentException.class, () -> new RemaxEstimator().compute(in));
    }
}
