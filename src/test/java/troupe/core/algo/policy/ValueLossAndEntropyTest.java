package troupe.core.algo.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.Random;
import org.junit.jupiter.api.Test;
import troupe.core.algo.LossAggregation;
import troupe.core.algo.Nd;
import troupe.core.TestSettings;

class ValueLossAndEntropyTest {

    @Test
    void section3ClippedValueLossIs0045() {
        try (NDManager m = NDManager.newBaseManager()) {
            ValueLossSettings s = new ValueLossSettings(0.2, LossAggregation.TOKEN_MEAN, 1.0);
            ValueLoss.Result r = ValueLoss.compute(Nd.of(m, new double[][] {{0.9}}), Nd.of(m, new double[][] {{0.5}}),
                    Nd.of(m, new double[][] {{1.0}}), Nd.of(m, new double[][] {{1}}), s, null);
            assertEquals(0.045, Nd.scalar(r.loss()), 1e-12);
            assertEquals(1.0, r.clipFraction(), 0);
        }
    }

    @Test
    void valueLossMatchesDoubleReferenceOverRandomInputs() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (int seed = 0; seed < 10; seed++) {
                Random rnd = new Random(seed);
                int b = 1 + rnd.nextInt(4);
                int l = 1 + rnd.nextInt(6);
                double[][] mask = Nd.randomMask(rnd, b, l, 1);
                double[][] vNew = Nd.randn(rnd, b, l, 1, 0);
                double[][] vOld = Nd.randn(rnd, b, l, 1, 0);
                double[][] ret = Nd.randn(rnd, b, l, 1, 0);
                ValueLossSettings s = TestSettings.valueLoss().withClip(0.5).withCoef(1.0); // verl's critic
                double expected = ReferencePolicyLoss.value(vNew, vOld, ret, mask, s);
                double actual = Nd.scalar(ValueLoss.compute(Nd.of(m, vNew), Nd.of(m, vOld), Nd.of(m, ret), Nd.of(m, mask), s, null).loss());
                assertEquals(expected, actual, 1e-10, "seed " + seed);
            }
        }
    }

    @Test
    void entropyBonusIsNegativeCoefTimesAggregatedEntropy() {
        try (NDManager m = NDManager.newBaseManager()) {
            double[][] h = {{0.8, 0.4, 99}};
            double[][] mask = {{1, 1, 0}};
            assertEquals(-0.01 * 0.6, Nd.scalar(EntropyBonus.loss(Nd.of(m, h), Nd.of(m, mask), 0.01,
                    LossAggregation.TOKEN_MEAN, null)), 1e-12);
        }
    }

    @Test
    void explainedVarianceIsOneForAPerfectCriticZeroForTheMeanAndNegativeWhenWorse() {
        double[][] ret = {{1, 2, 3, 42}};
        double[][] mask = {{1, 1, 1, 0}};
        assertEquals(1.0, ValueLoss.explainedVariance(ret, new double[][] {{1, 2, 3, -7}}, mask), 1e-12);
        assertEquals(0.0, ValueLoss.explainedVariance(ret, new double[][] {{2, 2, 2, 0}}, mask), 1e-12);
        assertEquals(-3.0, ValueLoss.explainedVariance(ret, new double[][] {{3, 2, 1, 0}}, mask), 1e-12);
        assertTrue(Double.isNaN(ValueLoss.explainedVariance(new double[][] {{1, 1}}, new double[][] {{0, 0}},
                new double[][] {{1, 1}})), "constant returns have no variance to explain");
    }
}
