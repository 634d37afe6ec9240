package troupe.core.model.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ALGORITHMS.md §9 worked examples on the engine's tensors, and the device maths against {@link HostSampling}. */
class SamplingDistributionTest {

    private static final float[] Z = {2f, 1f, 0.5f, -1f};
    private static NDManager m;

    @BeforeAll
    static void open() {
        m = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        m.close();
    }

    @Test
    void temperatureThenTopKThenTopPMatchesWorkedExample() {
        assertArrayEquals(new double[] {0.842034, 0.113957, 0.041922, 0.002087}, q(Z, 0.5, 0, 1.0), 1e-6);
        assertArrayEquals(new double[] {0.843795, 0.114195, 0.042010, 0}, q(Z, 0.5, 3, 1.0), 1e-6);
        double[] q = q(Z, 0.5, 3, 0.9);
        assertArrayEquals(new double[] {0.880797, 0.119203, 0, 0}, q, 1e-6);
        assertEquals(-2.126928, Math.log(q[1]), 1e-6);
    }

    @Test
    void learnerLogProbIsUntruncatedAtItsOwnTemperature() {
        assertEquals(-1.495182, learnerLogProb(Z, 1.0, 1), 1e-6);
        assertEquals(-2.171935, learnerLogProb(Z, 0.5, 1), 1e-6);
        double[] q = q(Z, 0.5, 3, 0.9);
        // PPO ratio π_learner / π_old with old = the sampler's log-prob: already clipped at step 0.
        assertEquals(1.880892, Math.exp(learnerLogProb(Z, 1.0, 1) - Math.log(q[1])), 1e-5);
    }

    @Test
    void topPFloatBoundaryKeepsThreeTokensLikeHf() {
        // 1 − 0.8 = 0.19999999999999996 < 0.05 + 0.15 in float64, so only 0.05 is dropped.
        double[] q = topP(new double[] {0.5, 0.3, 0.15, 0.05}, 0.8);
        assertEquals(0.0, q[3]);
        assertTrue(q[0] > 0 && q[1] > 0 && q[2] > 0);
        assertArrayEquals(new double[] {0.5 / 0.95, 0.3 / 0.95, 0.15 / 0.95, 0}, q, 1e-12);
    }

    @Test
    void topPAlwaysKeepsTheTopTokenAndTopKKeepsTies() {
        assertArrayEquals(new double[] {1, 0, 0}, topP(new double[] {0.9, 0.06, 0.04}, 0.01), 0);
        assertArrayEquals(new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0, 0}, q(new float[] {1f, 1f, 1f, 0f}, 1.0, 2, 1.0),
                1e-12);
    }

    @Test
    void topPDropsTiedTokensLowestIndexFirstLikeAStableSort() {
        // Ascending: 0.1 (index 1), 0.1 (index 3), 0.1 (index 4), … cumulative 0.1, 0.2, 0.3 ≤ 0.25 drops
        // two of the three tied tokens: indices 1 and 3, as the host's stable sort does.
        double[] p = {0.4, 0.1, 0.3, 0.1, 0.1};
        double[] want = HostSampling.topP(p, 0.75);
        assertEquals(0.0, want[1]);
        assertEquals(0.0, want[3]);
        assertTrue(want[4] > 0);
        assertArrayEquals(want, topP(p, 0.75), 1e-15);
    }

    @Test
    void deviceDistributionEqualsTheHostLoopsOnRandomRowsWithTies() {
        SplittableRandom r = new SplittableRandom(11);
        int rows = 40;
        int vocab = 97;
        float[] z = new float[rows * vocab];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) Math.round(r.nextGaussian() * 8) / 4; // coarse grid: many exact ties
        }
        double[][] settings = {{1.0, 0, 1.0}, {0.7, 5, 1.0}, {1.3, 0, 0.9}, {0.8, 20, 0.6}, {1.0, 1, 0.5},
            {2.0, 96, 0.99}};
        for (double[] st : settings) {
            try (NDManager step = m.newSubManager()) {
                NDArray logits = step.create(z, new Shape(rows, vocab));
                double[] got = SamplingDistribution.probabilities(logits, st[0], (int) st[1], st[2]).toDoubleArray();
                for (int i = 0; i < rows; i++) {
                    double[] want = HostSampling.probabilities(z, i * vocab, vocab, st[0], (int) st[1], st[2]);
                    for (int j = 0; j < vocab; j++) {
                        assertEquals(want[j] == 0, got[i * vocab + j] == 0, "support, row " + i + " token " + j);
                        assertEquals(want[j], got[i * vocab + j], 1e-12, "row " + i + " token " + j);
                    }
                }
            }
        }
    }

    @Test
    void drawIsTheHostInverseCdfForTheSameUniforms() {
        double[] p = {0.0, 0.25, 0.0, 0.5, 0.25, 0.0};
        double[] u = {0.0, 0.2499, 0.25, 0.74, 0.75, 0.9999999, 1.0}; // 1.0: rounding left u uncovered
        try (NDManager step = m.newSubManager()) {
            double[] rows = new double[u.length * p.length];
            for (int i = 0; i < u.length; i++) {
                System.arraycopy(p, 0, rows, i * p.length, p.length);
            }
            long[] got = SamplingDistribution.draw(step.create(rows, new Shape(u.length, p.length)),
                    step.create(u, new Shape(u.length, 1))).toLongArray();
            assertArrayEquals(new long[] {1, 1, 3, 3, 4, 4, 4}, got);
            for (int i = 0; i < u.length; i++) {
                assertEquals(HostSampling.draw(p, fixed(u[i])), got[i], "u " + u[i]);
            }
        }
    }

    /** A generator whose nextDouble is u, to drive the host draw with a chosen uniform. */
    private static RandomGenerator fixed(double u) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException();
            }

            @Override
            public double nextDouble() {
                return u;
            }
        };
    }

    private static double[] q(float[] z, double t, int k, double p) {
        try (NDManager step = m.newSubManager()) {
            return SamplingDistribution.probabilities(step.create(z, new Shape(1, z.length)), t, k, p).toDoubleArray();
        }
    }

    private static double[] topP(double[] probs, double p) {
        try (NDManager step = m.newSubManager()) {
            return SamplingDistribution.topP(step.create(probs, new Shape(1, probs.length)), p).toDoubleArray();
        }
    }

    private static double learnerLogProb(float[] z, double t, int token) {
        try (NDManager step = m.newSubManager()) {
            NDArray tok = step.create(new long[] {token});
            NDArray lp = SamplingDistribution.logProb(step.create(z, new Shape(1, z.length)), t, tok);
            assertEquals(DataType.FLOAT64, lp.getDataType());
            return lp.toDoubleArray()[0];
        }
    }
}
