package troupe.core.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.Random;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;
import troupe.core.TestSettings;
import troupe.core.algo.policy.PolicyLossSettings;
import troupe.core.config.ConfigReader;
import troupe.core.config.SettingsException;

class LossAggregationTest {

    // §0: A has ℓ = [2] (n = 1), B has ℓ = [1, 1, 1] (n = 3), L = 4; padding holds garbage.
    private static final double[][] LOSS = {{2, 99, -99, 1e6}, {1, 1, 1, 7}};
    private static final double[][] MASK = {{1, 0, 0, 0}, {1, 1, 1, 0}};

    @Test
    void workedExampleGivesTheFiveDocumentedValues() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray loss = Nd.of(m, LOSS);
            NDArray mask = Nd.of(m, MASK);
            assertEquals(1.25, Nd.scalar(LossAggregation.TOKEN_MEAN.aggregate(loss, mask)), 1e-12);
            assertEquals(1.5, Nd.scalar(LossAggregation.SEQ_MEAN_TOKEN_MEAN.aggregate(loss, mask)), 1e-12);
            assertEquals(2.5, Nd.scalar(LossAggregation.SEQ_MEAN_TOKEN_SUM.aggregate(loss, mask)), 1e-12);
            assertEquals(1.25, Nd.scalar(LossAggregation.SEQ_MEAN_TOKEN_SUM_NORM.aggregate(loss, mask)), 1e-12);
            assertEquals(0.625, Nd.scalar(LossAggregation.DR_GRPO.aggregate(loss, mask)), 1e-12);
        }
    }

    @Test
    void microBatchesWithGlobalTotalsSumToTheFullBatchLoss() {
        Random rnd = new Random(7);
        double[][] loss = Nd.randn(rnd, 6, 5, 1, 0);
        double[][] mask = Nd.randomMask(rnd, 6, 5, 1);
        double[][] lossA = Arrays.copyOfRange(loss, 0, 2);
        double[][] lossB = Arrays.copyOfRange(loss, 2, 6);
        double[][] maskA = Arrays.copyOfRange(mask, 0, 2);
        double[][] maskB = Arrays.copyOfRange(mask, 2, 6);
        BatchTotals totals = BatchTotals.of(maskA).plus(BatchTotals.of(maskB));
        try (NDManager m = NDManager.newBaseManager()) {
            for (LossAggregation mode : LossAggregation.values()) {
                double full = Nd.scalar(mode.aggregate(Nd.of(m, loss), Nd.of(m, mask)));
                double parts = Nd.scalar(mode.aggregate(Nd.of(m, lossA), Nd.of(m, maskA), totals))
                        + Nd.scalar(mode.aggregate(Nd.of(m, lossB), Nd.of(m, maskB), totals));
                assertEquals(full, parts, 1e-12, mode.configName());
            }
            // the naive alternative (mean of per-micro-batch token-means) is not the global token-mean
            double naive = (Nd.scalar(LossAggregation.TOKEN_MEAN.aggregate(Nd.of(m, lossA), Nd.of(m, maskA)))
                    + Nd.scalar(LossAggregation.TOKEN_MEAN.aggregate(Nd.of(m, lossB), Nd.of(m, maskB)))) / 2;
            double global = Nd.scalar(LossAggregation.TOKEN_MEAN.aggregate(Nd.of(m, loss), Nd.of(m, mask)));
            assertTrue(Math.abs(naive - global) > 1e-6);
        }
    }

    @Test
    void tensorVersionMatchesDoubleReferenceOverRandomShapesMasksAndSeeds() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (int seed = 0; seed < 20; seed++) {
                Random rnd = new Random(seed);
                int b = 1 + rnd.nextInt(6);
                int l = 1 + rnd.nextInt(9);
                double[][] loss = Nd.randn(rnd, b, l, 2, 0.3);
                double[][] mask = Nd.randomMask(rnd, b, l, 0);
                for (LossAggregation mode : LossAggregation.values()) {
                    double expected = ReferenceAggregation.aggregate(mode.configName(), loss, mask);
                    double actual = Nd.scalar(mode.aggregate(Nd.of(m, loss), Nd.of(m, mask)));
                    assertEquals(expected, actual, 1e-10, mode + " seed " + seed);
                }
            }
        }
    }

    @Test
    void unknownModeNameListsTheSupportedOnes() {
        SettingsException e = assertThrows(SettingsException.class, () -> aggregation("mean"));
        assertEquals("troupe.learner.policy-loss.aggregation", e.key());
        assertTrue(e.getMessage().contains("token-mean, seq-mean-token-mean, seq-mean-token-sum, seq-mean-token-sum-norm, dr-grpo"),
                e.getMessage());
        assertEquals(LossAggregation.DR_GRPO, aggregation("dr-grpo"));
    }

    /** The mode a policy-loss block naming {@code name} selects. */
    private static LossAggregation aggregation(String name) {
        ConfigReader r = ConfigReader.of(ConfigFactory.parseString("aggregation = " + name)
                .withFallback(TestSettings.learner("policy-loss").raw()), "troupe.learner.policy-loss");
        return PolicyLossSettings.fromConfig(r).aggregation();
    }
}
