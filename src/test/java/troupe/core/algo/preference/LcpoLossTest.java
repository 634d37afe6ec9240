package troupe.core.algo.preference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import troupe.core.TestSettings;
import troupe.core.algo.Nd;

/** LCPO's worked examples of ALGORITHMS.md §10 and its limits. */
class LcpoLossTest {

    private static LcpoLoss lcpo(PreferenceSettings s) {
        return new LcpoLoss(PreferenceLosses.create(s), s.loss());
    }

    /** One pair: policy (w, l) against reference (−11, −11). */
    private static PreferenceBatch pair(NDManager m, double chosen, double rejected) {
        return PreferenceBatch.of(Nd.vec(m, chosen), Nd.vec(m, rejected), Nd.vec(m, -11), Nd.vec(m, -11))
                .withLengths(Nd.vec(m, 20), Nd.vec(m, 10));
    }

    @Test
    void dpoMarginPointEightAtEpsilonPointOne() {
        try (NDManager m = NDManager.newBaseManager()) {
            // β = 0.1 and Δ = 8 give the DPO margin βh = 0.8
            LcpoLoss.Result r = lcpo(TestSettings.preference().withLoss("dpo")).compute(pair(m, -10, -18), 0.1);
            assertEquals(0.952449, Nd.scalar(r.weights().get(0)), 1e-6);
            assertEquals(0.409142, Nd.scalar(r.loss()), 1e-6);
            assertEquals(0.689974, Nd.scalar(r.labelRight().get(0)), 1e-6, "σ(0.8)");
        }
    }

    @Test
    void ipoIsWeighedThroughItsOwnLabelProbabilityNotTheMixOfLosses() {
        try (NDManager m = NDManager.newBaseManager()) {
            PreferenceSettings ipo = TestSettings.preference().withLoss("ipo").withIpoLengthNormalised(false);
            LcpoLoss.Result r = lcpo(ipo).compute(pair(m, -10, -10.05), 0.1); // h = 0.05, τ = 0.1
            assertEquals(0.731059, Nd.scalar(r.labelRight().get(0)), 1e-6);
            assertEquals(0.960730, Nd.scalar(r.weights().get(0)), 1e-6);
            assertEquals(0.352532, Nd.scalar(r.loss()), 1e-6, "the naive w·ℓ(h) + (1 − w)·ℓ(−h) is 24.541770");
        }
    }

    @Test
    void epsilonZeroIsPlainDpoAndAllWeightsAreOne() {
        try (NDManager m = NDManager.newBaseManager()) {
            PreferenceSettings dpo = TestSettings.preference().withLoss("dpo");
            PreferenceBatch b = PreferenceBatch.of(Nd.vec(m, -10, -3, -7), Nd.vec(m, -12, -2, -7.5),
                    Nd.vec(m, -11, -2.5, -6), Nd.vec(m, -11, -2.5, -8));
            LcpoLoss.Result r = lcpo(dpo).compute(b, 0.0);
            double plain = Nd.scalar(PreferenceLosses.create(dpo).compute(b).loss());
            assertEquals(plain, Nd.scalar(r.loss()), 1e-12);
            assertEquals(0.598139, Nd.scalar(r.perPair().get(0)), 1e-6, "§5's DPO example, h = 2");
            assertEquals(3.0, Nd.scalar(r.weights().sum()), 0.0);
            // and a tiny ε is already almost there: the limit is continuous
            assertEquals(plain, Nd.scalar(lcpo(dpo).compute(b, 1e-9).loss()), 1e-7);
        }
    }

    @Test
    void simpoIsWrappedThroughTheSwappedPair() {
        try (NDManager m = NDManager.newBaseManager()) {
            PreferenceSettings simpo = TestSettings.preference().withLoss("simpo").withBeta(2).withSimpoGamma(1);
            LcpoLoss.Result r = lcpo(simpo).compute(pair(m, -10, -12), 0.1);
            // ℓ(h) = softplus(−0.4) (§5), flipped: 2·(−1.2 + 0.5) − 1 = −2.4 → ℓ(−h) = softplus(2.4)
            double d = softplus(-0.4) - softplus(2.4);
            double p = 1 / (1 + Math.exp(d));
            double w = 0.9 * p / (0.9 * p + 0.1 * (1 - p));
            assertEquals(w * softplus(d) + (1 - w) * softplus(-d), Nd.scalar(r.loss()), 1e-6);
        }
    }

    @Test
    void etaMovesTowardTheMeanWeightAndKtoIsRefused() {
        assertEquals(0.9 * 0.9 + 0.1 * 0.5, LcpoLoss.nextEta(0.9, 0.5, 0.9), 1e-15);
        assertEquals(0.9, LcpoLoss.nextEta(0.9, 0.9, 0.9), 1e-15, "a fixed point at mean w = η");
        assertThrows(IllegalArgumentException.class,
                () -> new LcpoLoss(PreferenceLosses.create(TestSettings.preference().withLoss("kto")), "kto"));
        try (NDManager m = NDManager.newBaseManager()) {
            assertThrows(IllegalArgumentException.class,
                    () -> lcpo(TestSettings.preference().withLoss("dpo")).compute(pair(m, -1, -2), 1.0));
        }
    }

    private static double softplus(double x) {
        return Math.log1p(Math.exp(x));
    }
}
