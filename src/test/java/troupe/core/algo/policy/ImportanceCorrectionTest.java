package troupe.core.algo.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import troupe.core.algo.Nd;
import troupe.core.algo.TokenLogProbs;
import troupe.core.TestSettings;

/** ALGORITHMS.md §9: z = [2, 1, 0.5, −1], token 1 sampled at T = 0.5, top-k 3, top-p 0.9. */
class ImportanceCorrectionTest {

    private static final double SAMPLER_LOGP = Math.log(0.119203); // −2.126928 after top-k/top-p
    private static final double[][] ONE = {{1}};

    private static double learnerLogp(double temperature) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(new double[] {2, 1, 0.5, -1}, new Shape(1, 1, 4));
            return Nd.scalar(TokenLogProbs.logProbs(logits, m.create(new long[] {1}, new Shape(1, 1)), temperature));
        }
    }

    @Test
    void truncatedSamplerGivesRatio1880892AgainstUntemperedLearner() {
        double learner = learnerLogp(1.0);
        assertEquals(-1.495182, learner, 1e-6);
        assertEquals(-2.126928, SAMPLER_LOGP, 1e-6);
        ImportanceCorrection.Result r = ImportanceCorrection.weights(new double[][] {{learner}},
                new double[][] {{SAMPLER_LOGP}}, ONE, new ImportanceCorrectionSettings("token-truncate", 2.0));
        assertEquals(1.880892, r.weights()[0][0], 1e-5);
        assertEquals(0, r.correctedFraction(), 0);
        ImportanceCorrection.Result capped = ImportanceCorrection.weights(new double[][] {{learner}},
                new double[][] {{SAMPLER_LOGP}}, ONE, new ImportanceCorrectionSettings("token-truncate", 1.5));
        assertEquals(1.5, capped.weights()[0][0], 0);
        assertEquals(1, capped.correctedFraction(), 0);
    }

    @Test
    void temperedLearnerWithoutTruncationGivesRatio0955990() {
        double learner = learnerLogp(0.5);
        assertEquals(-2.171935, learner, 1e-6);
        ImportanceCorrection.Result r = ImportanceCorrection.weights(new double[][] {{learner}},
                new double[][] {{SAMPLER_LOGP}}, ONE, new ImportanceCorrectionSettings("token-mask", 2.0));
        assertEquals(0.955990, r.weights()[0][0], 1e-5);
    }

    @Test
    void sequenceMaskZeroesWholeSequenceAboveCap() {
        double[][] trainer = {{-1.0, -1.0, 0}, {-1.0, -1.0, 0}};
        double[][] sampler = {{-1.5, -1.5, 7}, {-1.1, -1.0, 7}}; // sequence ratios e^1 and e^0.1
        double[][] mask = {{1, 1, 0}, {1, 1, 0}};
        ImportanceCorrection.Result r = ImportanceCorrection.weights(trainer, sampler, mask,
                TestSettings.importance().withMode("sequence-mask"));
        assertArrayEquals(new double[] {0, 0, 0}, r.weights()[0], 0);
        assertArrayEquals(new double[] {Math.exp(0.1), Math.exp(0.1), 0}, r.weights()[1], 1e-12);
        assertEquals(0.5, r.correctedFraction(), 0);
    }

    @Test
    void unknownModeListsSupportedModes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ImportanceCorrectionSettings("tis", 2));
        assertEquals("Unknown importance-correction mode 'tis'; supported: none, token-truncate, token-mask, "
                + "sequence-truncate, sequence-mask", e.getMessage());
    }
}
