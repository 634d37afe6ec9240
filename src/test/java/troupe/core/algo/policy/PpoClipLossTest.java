package troupe.core.algo.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.junit.jupiter.api.Test;
import troupe.core.algo.BatchTotals;
import troupe.core.algo.LossAggregation;
import troupe.core.algo.Nd;
import troupe.core.TestSettings;

class PpoClipLossTest {

    /** verl's symmetric clip ε = 0.2 (reference.conf runs DAPO's clip-high 0.28), dual-clip 3, token-mean. */
    private static final PolicyLossSettings VERL = TestSettings.policyLoss().withClip(0.2, 0.2);

    /** Per-token loss of one (A, r) pair through the production tensor path (B = L = 1). */
    private static double tokenLoss(double adv, double ratio, PolicyLossSettings s) {
        try (NDManager m = NDManager.newBaseManager()) {
            PolicyLossInput in = PolicyLossInput.of(Nd.of(m, new double[][] {{Math.log(ratio)}}),
                    Nd.of(m, new double[][] {{0}}), Nd.of(m, new double[][] {{adv}}), Nd.of(m, new double[][] {{1}}));
            return Nd.scalar(new PpoClipLoss(s).compute(in).loss());
        }
    }

    @Test
    void section3TokenLossTableIncludingDualClip() {
        assertEquals(-1.2, tokenLoss(1, 1.3, VERL), 1e-12);
        assertEquals(0.8, tokenLoss(-1, 0.7, VERL), 1e-12);
        assertEquals(3.0, tokenLoss(-1, 4.0, VERL), 1e-12);
        assertEquals(4.0, tokenLoss(-1, 4.0, VERL.withDualClip(Double.POSITIVE_INFINITY)), 1e-12);
        assertEquals(-0.5, tokenLoss(1, 0.5, VERL), 1e-12);
    }

    @Test
    void dapoClipHigherLeavesRatio125UnclippedForPositiveAdvantage() {
        assertEquals(-1.2, tokenLoss(1, 1.25, VERL), 1e-12);
        assertEquals(-1.25, tokenLoss(1, 1.25, VERL.withClip(0.2, 0.28)), 1e-12);
    }

    @Test
    void metricsCountClipAndDualClipAndBothApproxKls() {
        try (NDManager m = NDManager.newBaseManager()) {
            double[][] logp = {{Math.log(1.3), Math.log(0.7), Math.log(4.0), Math.log(0.5)}};
            double[][] old = new double[1][4];
            double[][] adv = {{1, -1, -1, 1}};
            PolicyLossResult r = PolicyLosses.create(VERL).compute(
                    PolicyLossInput.of(Nd.of(m, logp), Nd.of(m, old), Nd.of(m, adv), Nd.of(m, new double[][] {{1, 1, 1, 1}})));
            assertEquals((-1.2 + 0.8 + 3.0 - 0.5) / 4, Nd.scalar(r.loss()), 1e-12);
            assertEquals(0.5, r.metrics().clipFraction(), 0); // tokens 1 and 2
            assertEquals(0.25, r.metrics().dualClipFraction(), 0); // token 3
            double k1 = 0;
            double k2 = 0;
            for (double x : logp[0]) {
                k1 -= x / 4;
                k2 += x * x / 8;
            }
            assertEquals(k1, r.metrics().approxKlK1(), 1e-12);
            assertEquals(k2, r.metrics().approxKlK2(), 1e-12);
        }
    }

    @Test
    void ppoKlMetricAveragesTheLogRatioClampedToTwentyLikeVerl() {
        // verl compute_policy_loss_vanilla: ppo_kl = masked_mean(−clamp(logp − old, ±20)); a token
        // 30 nats below its old log-prob counts 20, not 30 (the loss already used the clamped ratio)
        try (NDManager m = NDManager.newBaseManager()) {
            double[][] logp = {{-30, Math.log(1.1)}};
            PolicyLossResult r = PolicyLosses.create(VERL).compute(PolicyLossInput.of(Nd.of(m, logp),
                    Nd.of(m, new double[1][2]), Nd.of(m, new double[][] {{1, -1}}), Nd.of(m, new double[][] {{1, 1}})));
            assertEquals((20 - Math.log(1.1)) / 2, r.metrics().approxKlK1(), 1e-9);
            assertEquals((900 + Math.log(1.1) * Math.log(1.1)) / 4, r.metrics().approxKlK2(), 1e-9, "TRL's approxkl: unclamped");
        }
    }

    @Test
    void tensorLossMatchesDoubleReferenceOverRandomShapesMasksAndSeeds() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (int seed = 0; seed < 24; seed++) {
                Random rnd = new Random(seed);
                int b = 1 + rnd.nextInt(5);
                int l = 1 + rnd.nextInt(8);
                double[][] mask = Nd.randomMask(rnd, b, l, 1);
                double[][] old = Nd.randn(rnd, b, l, 1, -2);
                double[][] logp = Nd.randn(rnd, b, l, 0.4, 0);
                for (int i = 0; i < b; i++) {
                    for (int t = 0; t < l; t++) {
                        logp[i][t] += old[i][t];
                    }
                }
                double[][] adv = Nd.randn(rnd, b, l, 1, 0);
                double[][] w = rnd.nextBoolean() ? Nd.randn(rnd, b, l, 0.1, 1) : null;
                LossAggregation mode = LossAggregation.values()[seed % LossAggregation.values().length];
                PolicyLossSettings s = VERL.withAggregation(mode).withClip(0.2, seed % 2 == 0 ? 0.2 : 0.28);
                PolicyLossInput in = PolicyLossInput.of(Nd.of(m, logp), Nd.of(m, old), Nd.of(m, adv), Nd.of(m, mask));
                if (w != null) {
                    in = in.withIsWeights(Nd.of(m, w));
                }
                double expected = ReferencePolicyLoss.ppo(logp, old, adv, mask, w, s, BatchTotals.of(mask));
                assertEquals(expected, Nd.scalar(new PpoClipLoss(s).compute(in).loss()), 1e-10, "seed " + seed);
            }
        }
    }

    @Test
    void maskedPaddingNeverChangesLossOrGradient() {
        Random rnd = new Random(11);
        int b = 4;
        int l = 6;
        double[][] mask = Nd.randomMask(rnd, b, l, 1);
        double[][] old = Nd.randn(rnd, b, l, 1, -2);
        double[][] logp = Nd.randn(rnd, b, l, 0.3, -2);
        double[][] adv = Nd.randn(rnd, b, l, 1, 0);
        for (LossAggregation mode : LossAggregation.values()) {
            PolicyLossSettings s = VERL.withAggregation(mode);
            double[] clean = lossAndGradient(s, logp, old, adv, mask, 0);
            double[] poisoned = lossAndGradient(s, Nd.poisonPadding(logp, mask, 1e4),
                    Nd.poisonPadding(old, mask, -1e4), Nd.poisonPadding(adv, mask, 1e6), mask, 1);
            assertArrayEquals(clean, poisoned, 1e-12, mode.configName());
            for (int k = 0; k < b * l; k++) {
                if (mask[k / l][k % l] == 0) {
                    assertEquals(0, clean[1 + k], 0, "gradient at padding");
                }
            }
        }
    }

    /** [loss, ∂loss/∂logp flattened]. */
    private static double[] lossAndGradient(PolicyLossSettings s, double[][] logp, double[][] old, double[][] adv,
            double[][] mask, int variant) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = Nd.of(m, logp);
            x.setRequiresGradient(true);
            double loss;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray l = new PpoClipLoss(s).compute(PolicyLossInput.of(x, Nd.of(m, old), Nd.of(m, adv), Nd.of(m, mask))).loss();
                loss = Nd.scalar(l);
                gc.backward(l);
            }
            double[] g = x.getGradient().toDoubleArray();
            double[] out = new double[1 + g.length];
            out[0] = loss;
            System.arraycopy(g, 0, out, 1, g.length);
            for (double v : out) {
                assertTrue(Double.isFinite(v), "variant " + variant);
            }
            return out;
        }
    }

    @Test
    void nanAdvantageRaisesNamingTheTensor() {
        try (NDManager m = NDManager.newBaseManager()) {
            double[][] adv = new double[2][5];
            adv[1][3] = Double.NaN;
            double[][] zeros = new double[2][5];
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PolicyLossInput.of(
                    Nd.of(m, zeros), Nd.of(m, zeros), Nd.of(m, adv), Nd.of(m, zeros)));
            assertEquals("advantages contains NaN at [1, 3]", e.getMessage());
        }
    }

    @Test
    void unknownPolicyLossListsSupportedNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PolicyLosses.create(new PolicyLossSettings("ppo", 0.2, 0.2, 3, 20, LossAggregation.TOKEN_MEAN, 0)));
        assertTrue(e.getMessage().endsWith("supported: ppo-clip, pg, gspo, cispo"), e.getMessage());
    }
}
