package troupe.core.algo.kl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;
import troupe.core.TestSettings;

/**
 * ALGORITHMS.md §2: on a small softmax policy π = softmax(θ), the exact on-policy expectation
 * E_{y∼π}[∇_θ k(y)] = Σ_y π(y)·∇_θ k(y) is 0 for k1, ∇KL(π‖π_ref) for k2 and ∇KL(π_ref‖π) for k3.
 */
class KlGradientExpectationTest {

    private static final double[] THETA = {0.3, -1.2, 0.8, 0.1, -0.4};
    private static final double[] REF_LOGITS = {-0.5, 0.4, 0.2, -1.0, 0.6};

    @Test
    void k1LossGradientIsZeroInExpectation() {
        double[] g = expectedGradient(KlEstimators.create("k1", TestSettings.kl()));
        assertArrayEquals(new double[THETA.length], g, 1e-12);
    }

    @Test
    void k2LossGradientIsTheForwardKlGradient() {
        double[] pi = softmax(THETA);
        double[] logRef = logSoftmax(REF_LOGITS);
        double kl = 0;
        for (int j = 0; j < pi.length; j++) {
            kl += pi[j] * (Math.log(pi[j]) - logRef[j]);
        }
        double[] expected = new double[pi.length];
        for (int j = 0; j < pi.length; j++) {
            expected[j] = pi[j] * (Math.log(pi[j]) - logRef[j] - kl); // ∂KL(π‖ref)/∂θ_j
        }
        double[] g = expectedGradient(KlEstimators.create("k2", TestSettings.kl()));
        assertArrayEquals(expected, g, 1e-10);
        assertTrue(norm(g) > 1e-3, "k2 gradient must not vanish");
    }

    @Test
    void k3LossGradientIsTheReverseKlGradient() {
        double[] pi = softmax(THETA);
        double[] ref = softmax(REF_LOGITS);
        double[] expected = new double[pi.length];
        for (int j = 0; j < pi.length; j++) {
            expected[j] = pi[j] - ref[j]; // ∂KL(ref‖π)/∂θ_j
        }
        double[] g = expectedGradient(KlEstimators.create("k3", TestSettings.kl()));
        assertArrayEquals(expected, g, 1e-10);
        assertTrue(norm(g) > 1e-3, "k3 gradient must not vanish");
        assertEquals(0.0, sum(g), 1e-12);
    }

    /** Σ_y sg(π_y)·∇_θ k(logπ_y − logπ_ref,y), through the production estimator with autograd. */
    private static double[] expectedGradient(KlEstimator estimator) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray theta = m.create(THETA, new Shape(1, THETA.length));
            NDArray ref = m.create(REF_LOGITS, new Shape(1, REF_LOGITS.length)).logSoftmax(-1);
            theta.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray logp = theta.logSoftmax(-1); // [1, V]: every token y as if sampled
                NDArray k = estimator.estimate(logp, ref);
                NDArray expectation = logp.exp().stopGradient().mul(k).sum();
                gc.backward(expectation);
            }
            return theta.getGradient().toDoubleArray();
        }
    }

    private static double[] softmax(double[] z) {
        double[] l = logSoftmax(z);
        double[] p = new double[z.length];
        for (int j = 0; j < z.length; j++) {
            p[j] = Math.exp(l[j]);
        }
        return p;
    }

    private static double[] logSoftmax(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double s = 0;
        for (double v : z) {
            s += Math.exp(v - max);
        }
        double lse = max + Math.log(s);
        double[] out = new double[z.length];
        for (int j = 0; j < z.length; j++) {
            out[j] = z[j] - lse;
        }
        return out;
    }

    private static double norm(double[] g) {
        double s = 0;
        for (double v : g) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    private static double sum(double[] g) {
        double s = 0;
        for (double v : g) {
            s += v;
        }
        return s;
    }
}
