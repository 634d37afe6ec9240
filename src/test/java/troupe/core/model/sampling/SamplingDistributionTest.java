package troupe.core.model.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** ALGORITHMS.md §9 worked examples. */
class SamplingDistributionTest {

    private static final float[] Z = {2f, 1f, 0.5f, -1f};

    @Test
    void temperatureThenTopKThenTopPMatchesWorkedExample() {
        assertArrayEquals(new double[] {0.842034, 0.113957, 0.041922, 0.002087},
                SamplingDistribution.probabilities(Z, 0, 4, 0.5, 0, 1.0), 1e-6);
        assertArrayEquals(new double[] {0.843795, 0.114195, 0.042010, 0},
                SamplingDistribution.probabilities(Z, 0, 4, 0.5, 3, 1.0), 1e-6);
        double[] q = SamplingDistribution.probabilities(Z, 0, 4, 0.5, 3, 0.9);
        assertArrayEquals(new double[] {0.880797, 0.119203, 0, 0}, q, 1e-6);
        assertEquals(-2.126928, Math.log(q[1]), 1e-6);
    }

    @Test
    void learnerLogProbIsUntruncatedAtItsOwnTemperature() {
        assertEquals(-1.495182, SamplingDistribution.logProb(Z, 0, 4, 1.0, 1), 1e-6);
        assertEquals(-2.171935, SamplingDistribution.logProb(Z, 0, 4, 0.5, 1), 1e-6);
        double[] q = SamplingDistribution.probabilities(Z, 0, 4, 0.5, 3, 0.9);
        // PPO ratio π_learner / π_old with old = the sampler's log-prob: already clipped at step 0.
        assertEquals(1.880892, Math.exp(SamplingDistribution.logProb(Z, 0, 4, 1.0, 1) - Math.log(q[1])), 1e-5);
    }

    @Test
    void topPFloatBoundaryKeepsThreeTokensLikeHf() {
        // 1 − 0.8 = 0.19999999999999996 < 0.05 + 0.15 in float64, so only 0.05 is dropped.
        double[] q = SamplingDistribution.topP(new double[] {0.5, 0.3, 0.15, 0.05}, 0.8);
        assertEquals(0.0, q[3]);
        assertTrue(q[0] > 0 && q[1] > 0 && q[2] > 0);
        assertArrayEquals(new double[] {0.5 / 0.95, 0.3 / 0.95, 0.15 / 0.95, 0}, q, 1e-12);
    }

    @Test
    void topPAlwaysKeepsTheTopTokenAndTopKKeepsTies() {
        assertArrayEquals(new double[] {1, 0, 0}, SamplingDistribution.topP(new double[] {0.9, 0.06, 0.04}, 0.01), 0);
        double[] q = SamplingDistribution.probabilities(new float[] {1f, 1f, 1f, 0f}, 0, 4, 1.0, 2, 1.0);
        assertArrayEquals(new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0, 0}, q, 1e-12);
    }
}
