package troupe.core.algo.kl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.Random;
import org.junit.jupiter.api.Test;
import troupe.core.TestSettings;
import troupe.core.algo.LossAggregation;
import troupe.core.algo.Nd;

class KlEstimatorTest {

    private static final double[][] LOGP = {{-1.0, -2.0}};
    private static final double[][] REF = {{-1.2, -1.5}};
    private static final double[][] MASK = {{1, 1}};

    /** verl's clamps (±20 before exp, ±10 after), as in reference.conf. */
    private static final KlSettings VERL = TestSettings.kl();

    private static KlEstimator estimator(String name) {
        return KlEstimators.create(name, VERL);
    }

    @Test
    void section2ExampleValuesInPlainArrays() {
        assertArrayEquals(new double[] {0.2, -0.5}, KlPenalty.perToken(LOGP, REF, MASK, estimator("k1"))[0], 1e-12);
        assertArrayEquals(new double[] {0.02, 0.125}, KlPenalty.perToken(LOGP, REF, MASK, estimator("k2"))[0], 1e-12);
        double[] k3 = KlPenalty.perToken(LOGP, REF, MASK, estimator("k3"))[0];
        assertArrayEquals(new double[] {0.0187308, 0.1487213}, k3, 1e-7);
        assertEquals(0.0837260, (k3[0] + k3[1]) / 2, 1e-7);
        assertArrayEquals(new double[] {0.2, 0.5}, KlPenalty.perToken(LOGP, REF, MASK, estimator("abs"))[0], 1e-12);
    }

    @Test
    void section2ExampleValuesAsTensors() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertArrayEquals(new double[] {0.0187308, 0.1487213},
                    Nd.matrix(estimator("k3").estimate(Nd.of(m, LOGP), Nd.of(m, REF)))[0], 1e-7);
            assertEquals(-0.15, Nd.scalar(LossAggregation.TOKEN_MEAN.aggregate(
                    estimator("k1").estimate(Nd.of(m, LOGP), Nd.of(m, REF)), Nd.of(m, MASK))), 1e-12);
        }
    }

    @Test
    void k3ClampsFollowVerlAndCanBeDisabled() {
        // x = logp − ref = −30: ref − logp = 30 is clamped to 20 before exp, the result to 10
        assertEquals(10.0, estimator("k3").estimate(-31, -1), 0);
        KlSettings unclamped = VERL.withClamps(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
        assertEquals(Math.exp(30) - 31, KlEstimators.create("k3", unclamped).estimate(-31, -1), 1e-3);
    }

    @Test
    void tensorEstimatorsMatchDoubleReferenceOverRandomInputs() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (int seed = 0; seed < 10; seed++) {
                Random rnd = new Random(seed);
                int b = 1 + rnd.nextInt(4);
                int l = 1 + rnd.nextInt(7);
                double[][] logp = Nd.randn(rnd, b, l, 3, -2);
                double[][] ref = Nd.randn(rnd, b, l, 3, -2);
                for (String name : KlEstimators.names()) {
                    KlEstimator e = estimator(name);
                    double[][] actual = Nd.matrix(e.estimate(Nd.of(m, logp), Nd.of(m, ref)));
                    for (int i = 0; i < b; i++) {
                        for (int t = 0; t < l; t++) {
                            double expected = reference(e, logp[i][t] - ref[i][t]);
                            assertEquals(expected, actual[i][t], 1e-9 * Math.max(1, Math.abs(expected)), e + " seed " + seed);
                        }
                    }
                }
            }
        }
    }

    @Test
    void unknownEstimatorListsSupportedNamesAndVerlAliasesResolve() {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> estimator("k4"));
        assertTrue(ex.getMessage().contains("k1, k2, k3, abs"), ex.getMessage());
        assertEquals(estimator("k3"), estimator("low_var_kl"));
        assertEquals(estimator("k2"), estimator("mse"));
        assertEquals(estimator("k1"), estimator("kl"));
        assertEquals("k3", VERL.withLossEstimator("low_var_kl").lossEstimator());
    }

    /** Textbook forms, with verl's clamps written out independently. */
    private static double reference(KlEstimator e, double x) {
        return switch (e.name()) {
            case "k1" -> x;
            case "k2" -> x * x / 2;
            case "k3" -> {
                double d = Math.min(20, Math.max(-20, -x)); // ref − logp, clamped
                yield Math.min(10, Math.max(-10, Math.exp(d) - 1 - d));
            }
            case "abs" -> Math.abs(x);
            default -> throw new AssertionError(e);
        };
    }
}
