package troupe.core.algo.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;
import troupe.core.algo.LossAggregation;
import troupe.core.algo.Nd;

/**
 * Worked examples whose every term is checked by hand, so a changed operator, constant or
 * branch in the loss arithmetic changes an asserted value (found by mutation testing: these
 * formulas had lines no test pinned). Padding positions hold large values that would show if a
 * mask were ignored.
 */
class LossArithmeticWorkedExamplesTest {
    private static final double PAD = 50;

    /**
     * Six real tokens (log-ratio d, advantage A), ε_low 0.2, ε_high 0.28, dual-clip 3:
     * (0.5, 1) clipped above; (−0.5, 1) not; (0.1, −2) on the boundary, not; (2, −1) dual-clipped;
     * (−1, −1) clipped below; (0.2, 1) r = 1.2214 inside ε_high but outside ε_low, not clipped.
     */
    @Test
    void policyMetricsOfSixTokensByHand() {
        PolicyLossSettings s = new PolicyLossSettings("ppo-clip", 0.2, 0.28, 3.0, 20.0, LossAggregation.TOKEN_MEAN, 0);
        double[][] d = {{0.5, -0.5, 0.1, PAD}, {2.0, -1.0, 0.2, PAD}};
        double[][] adv = {{1, 1, -2, PAD}, {-1, -1, 1, PAD}};
        double[][] mask = {{1, 1, 1, 0}, {1, 1, 1, 0}};
        PolicyMetrics pm = metrics(d, adv, mask, s);
        assertEquals(2.0 / 6, pm.clipFraction(), 1e-12);
        assertEquals(1.0 / 6, pm.dualClipFraction(), 1e-12);
        assertEquals(-1.3 / 6, pm.approxKlK1(), 1e-12);                 // mean(old − logp)
        assertEquals(0.4625, pm.approxKlK2(), 1e-12);                   // mean(½ d²) = ½ · 5.55 / 6
        assertEquals(2.056460191125112, pm.ratioMean(), 1e-12);         // mean(exp d)
        assertEquals(6, pm.tokens(), 0);
    }

    @Test
    void policyMetricsClampTheLogRatioOnBothSidesAndTheK1LikeVerlButNotTheK2() {
        PolicyLossSettings s = new PolicyLossSettings("ppo-clip", 0.2, 0.2, 3.0, 1.0, LossAggregation.TOKEN_MEAN, 0);
        PolicyMetrics pm = metrics(new double[][] {{2.0, -3.0}}, new double[][] {{1, 1}}, new double[][] {{1, 1}}, s);
        assertEquals(1.5430806348152437, pm.ratioMean(), 1e-12);       // (e + 1/e) / 2
        assertEquals(0.0, pm.approxKlK1(), 1e-12);                      // −(1 − 1) / 2: verl averages the clamped log-ratio
        assertEquals(3.25, pm.approxKlK2(), 1e-12);                     // ½ (4 + 9) / 2
        // A > 0: r = e > 1.2 takes the clipped branch; r = 1/e < 0.8 keeps the unclipped (pessimistic) one
        assertEquals(0.5, pm.clipFraction(), 0);
    }

    /** Dual-clip counts a token only when the loss exceeds −A·c strictly: here it equals it. */
    @Test
    void dualClipOnItsBoundaryIsNotCounted() {
        double c = Math.exp(Math.log(3)); // r of the token below, computed as the calculator does
        PolicyLossSettings s = new PolicyLossSettings("ppo-clip", 0.2, 0.2, c, 20.0, LossAggregation.TOKEN_MEAN, 0);
        try (NDManager m = NDManager.newBaseManager()) {
            PolicyMetrics pm = PolicyMetricsCalculator.compute(PolicyLossInput.of(Nd.of(m, new double[][] {{Math.log(3)}}),
                    Nd.of(m, new double[][] {{0}}), Nd.of(m, new double[][] {{-1}}), Nd.of(m, new double[][] {{1}})), s);
            assertEquals(0.0, pm.dualClipFraction(), 0);
            assertEquals(c, pm.ratioMean(), 0);
        }
    }

    @Test
    void policyMetricsOfAnAllPaddingBatchAreZero() {
        PolicyMetrics pm = metrics(new double[][] {{PAD}}, new double[][] {{PAD}}, new double[][] {{0}},
                new PolicyLossSettings("ppo-clip", 0.2, 0.2, 3.0, 20.0, LossAggregation.TOKEN_MEAN, 0));
        assertEquals(new PolicyMetrics(0, 0, 0, 0, 0, 0), pm);
    }

    private static PolicyMetrics metrics(double[][] logRatio, double[][] adv, double[][] mask, PolicyLossSettings s) {
        try (NDManager m = NDManager.newBaseManager()) {
            double[][] old = new double[logRatio.length][logRatio[0].length];
            for (int i = 0; i < old.length; i++) {
                for (int t = 0; t < old[i].length; t++) {
                    old[i][t] = -1.0 - 0.1 * t;
                }
            }
            double[][] logp = new double[old.length][old[0].length];
            for (int i = 0; i < old.length; i++) {
                for (int t = 0; t < old[i].length; t++) {
                    logp[i][t] = old[i][t] + logRatio[i][t];
                }
            }
            return PolicyMetricsCalculator.compute(
                    PolicyLossInput.of(Nd.of(m, logp), Nd.of(m, old), Nd.of(m, adv), Nd.of(m, mask)), s);
        }
    }

    /**
     * Three real tokens, ε_v 0.2, coef 3: (V_old, V_new, R) = (0.5, 0.9, 1): clipped branch 0.09 >
     * 0.01; (0, 1, 0.5): unclipped 0.25 > 0.09; (1, 0.5, 0): clipped 0.64 > 0.25. Loss = 3 · ½ ·
     * (0.09 + 0.25 + 0.64) / 3 = 0.49; two of three tokens take the clipped branch.
     */
    @Test
    void clippedValueLossOfThreeTokensByHand() {
        try (NDManager m = NDManager.newBaseManager()) {
            double[][] vOld = {{0.5, 0.0, PAD}, {1.0, PAD, PAD}};
            double[][] vNew = {{0.9, 1.0, -PAD}, {0.5, -PAD, PAD}};
            double[][] ret = {{1.0, 0.5, PAD}, {0.0, -PAD, -PAD}};
            double[][] mask = {{1, 1, 0}, {1, 0, 0}};
            NDArray v = Nd.of(m, vNew);
            v.setRequiresGradient(true);
            ValueLoss.Result r;
            double[][] grad;
            try (GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                r = ValueLoss.compute(v, Nd.of(m, vOld), Nd.of(m, ret), Nd.of(m, mask),
                        new ValueLossSettings(0.2, LossAggregation.TOKEN_MEAN, 3.0), null);
                gc.backward(r.loss());
            }
            grad = Nd.matrix(v.getGradient());
            assertEquals(0.49, Nd.scalar(r.loss()), 1e-12);
            assertEquals(2.0 / 3, r.clipFraction(), 1e-12);
            // d/dV_new: the clipped branch has no gradient where the clip is active (tokens 1 and 3);
            // token 2: coef · ½ · 2 (V − R) / 3 = 3 · (1 − 0.5) / 3 = 0.5; padding gets none.
            assertArrayEquals(new double[] {0, 0.5, 0}, grad[0], 1e-12);
            assertArrayEquals(new double[] {0, 0, 0}, grad[1], 1e-12);
        }
    }

    @Test
    void valueLossInsideTheClipRangeIsTheSquaredErrorScaledByHalfTheCoef() {
        try (NDManager m = NDManager.newBaseManager()) {
            ValueLoss.Result r = ValueLoss.compute(Nd.of(m, new double[][] {{0.6, 0.3}}),
                    Nd.of(m, new double[][] {{0.5, 0.4}}), Nd.of(m, new double[][] {{0.0, 1.0}}),
                    Nd.of(m, new double[][] {{1, 1}}), new ValueLossSettings(0.5, LossAggregation.TOKEN_MEAN, 2.0),
                    null);
            assertEquals((0.36 + 0.49) / 2, Nd.scalar(r.loss()), 1e-12); // 2 · ½ · mean((V − R)²)
            assertEquals(0.0, r.clipFraction(), 0);
        }
    }

    @Test
    void explainedVarianceOfKnownCases() {
        double[][] mask = {{1, 1, 1, 1, 0}};
        double[][] ret = {{1, 2, 3, 4, PAD}};
        assertEquals(1.0, ValueLoss.explainedVariance(ret, new double[][] {{1, 2, 3, 4, -PAD}}, mask), 1e-12);
        // a constant offset is no error in variance: R − V = 0.5 everywhere
        assertEquals(1.0, ValueLoss.explainedVariance(ret, new double[][] {{0.5, 1.5, 2.5, 3.5, -PAD}}, mask), 1e-12);
        // R − V = ±0.5: Σ(d − mean d)² = 1, Σ(R − 2.5)² = 5
        assertEquals(0.8, ValueLoss.explainedVariance(ret, new double[][] {{1.5, 1.5, 3.5, 3.5, -PAD}}, mask), 1e-12);
        assertEquals(0.0, ValueLoss.explainedVariance(ret, new double[][] {{2.5, 2.5, 2.5, 2.5, PAD}}, mask), 1e-12);
        assertEquals(-3.0, ValueLoss.explainedVariance(new double[][] {{1, 2, 3}}, new double[][] {{3, 2, 1}},
                new double[][] {{1, 1, 1}}), 1e-12);
        // masks weigh tokens: n = 2.5, mean R = 6 / 2.5 = 2.4, R − V = (−1, 0, 1) with mean 0,
        // Σm(R − 2.4)² = 5.76 + 0.08 + 6.76 = 12.6, Σm(d)² = 2: 1 − 2 / 12.6 = 53/63
        assertEquals(53.0 / 63, ValueLoss.explainedVariance(new double[][] {{0, 2, 5}}, new double[][] {{1, 2, 4}},
                new double[][] {{1, 0.5, 1}}), 1e-12);
        assertTrue(Double.isNaN(ValueLoss.explainedVariance(new double[][] {{2, 2}}, new double[][] {{1, 3}},
                new double[][] {{1, 1}})), "Var(R) = 0");
        assertTrue(Double.isNaN(ValueLoss.explainedVariance(ret, ret, new double[][] {{0, 0, 0, 0, 0}})), "no token");
    }
}
