package troupe.core.algo.ranking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;
import troupe.core.algo.Nd;

/** ALGORITHMS.md §10's PRO examples, float64, with the gradient checked against a finite difference. */
class ProLossTest {
    private static final double[] S = {-1.0, -1.5, -0.5};

    private static double loss(double[] s, double[] ranked, boolean dynamic) {
        try (NDManager m = NDManager.newBaseManager()) {
            return Nd.scalar(ProLoss.listwise(Nd.vec(m, s), ranked, dynamic));
        }
    }

    /** The closed form of the §10 sum, for checking the tensor version away from the worked example. */
    private static double byHand(double[] s, double[] r, boolean dynamic) {
        double total = 0;
        for (int k = 0; k < s.length - 1; k++) {
            double widest = 0;
            for (int i = k + 1; i < s.length; i++) {
                widest = Math.max(widest, r[k] - r[i]);
            }
            double top = s[k] * (dynamic ? widest : 1);
            double sum = Math.exp(top);
            for (int i = k + 1; i < s.length; i++) {
                sum += Math.exp(s[i] * (dynamic ? r[k] - r[i] : 1));
            }
            total -= top - Math.log(sum);
        }
        return total;
    }

    @Test
    void workedExampleListwiseLoss() {
        assertEquals(2.493531, loss(S, new double[] {3, 2, 0}, false), 1e-6);
    }

    @Test
    void workedExampleDynamicTemperature() {
        assertEquals(4.425844, loss(S, new double[] {3, 2, 0}, true), 1e-6);
    }

    @Test
    void workedExampleSftTerm() {
        assertEquals(0.8, ProLoss.sftWeight(3, 0.05) * 4.0, 1e-12);
        assertEquals(0.0, ProLoss.sftWeight(1, 0.05), 0);
    }

    @Test
    void matchesTheSumWrittenOutAndItsGradientOnOtherGroups() {
        double[][] scores = {{-0.2, -3.0}, {-2.0, -0.1, -0.7, -1.3}, {0.3, -0.4, -0.4, -2.2, -1.0}};
        double[][] rewards = {{1, 0}, {0.9, 0.9, 0.2, -1}, {5, 4, 2.5, 2.5, 0}};
        for (int g = 0; g < scores.length; g++) {
            for (boolean dynamic : new boolean[] {false, true}) {
                double[] s = scores[g];
                assertEquals(byHand(s, rewards[g], dynamic), loss(s, rewards[g], dynamic), 1e-9);
                double[] grad;
                try (NDManager m = NDManager.newBaseManager()) {
                    NDArray x = Nd.vec(m, s);
                    x.setRequiresGradient(true);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        gc.backward(ProLoss.listwise(x, rewards[g], dynamic));
                    }
                    grad = x.getGradient().toDoubleArray();
                }
                double[] numeric = new double[s.length];
                for (int i = 0; i < s.length; i++) {
                    double[] up = s.clone();
                    double[] down = s.clone();
                    up[i] += 1e-6;
                    down[i] -= 1e-6;
                    numeric[i] = (byHand(up, rewards[g], dynamic) - byHand(down, rewards[g], dynamic)) / 2e-6;
                }
                assertArrayEquals(numeric, grad, 1e-6, "group " + g + " dynamic " + dynamic);
            }
        }
    }

    @Test
    void rankingIsByRewardDescendingWithTiesInIndexOrder() {
        assertArrayEquals(new int[] {1, 3, 2, 0}, ProLoss.rankDescending(new double[] {0.2, 0.9, 0.5, 0.9}));
    }

    @Test
    void aGroupOfIdenticalRewardsIsTiedAndUnderDynamicTemperatureCarriesNoSignal() {
        double[] same = {0.5, 0.5, 0.5};
        assertTrue(ProLoss.tied(same));
        assertFalse(ProLoss.tied(new double[] {0.5, 0.5, 0.4}));
        // every exponent is s·0: each term is log(n − k) whatever the scores
        assertEquals(Math.log(3) + Math.log(2), loss(S, same, true), 1e-12);
        assertEquals(Math.log(3) + Math.log(2), loss(new double[] {-9, 0, 4}, same, true), 1e-12);
    }
}
