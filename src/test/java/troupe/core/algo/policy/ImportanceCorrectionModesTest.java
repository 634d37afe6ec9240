package troupe.core.algo.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Every correction mode on one batch worked by hand: row 0 has per-token ratios ρ = (0.5, 3, 1.5)
 * (sequence ratio 2.25), row 1 one real token with ρ = 4 and padding that would show if read.
 * The mean raw ratio is (0.5 + 3 + 1.5 + 4) / 4 = 2.25 in every mode.
 */
class ImportanceCorrectionModesTest {
    private static final double PAD = 30;
    private static final double[][] BEHAVIOUR = {{-1.0, -2.0, -0.5}, {-3.0, -PAD, PAD}};
    private static final double[][] OLD = {
            {-1.0 + Math.log(0.5), -2.0 + Math.log(3), -0.5 + Math.log(1.5)}, {-3.0 + Math.log(4), PAD, -PAD}};
    private static final double[][] MASK = {{1, 1, 1}, {1, 0, 0}};
    /** ρ of token (0, 1) computed as the code does, so a cap equal to it is exactly on the boundary. */
    private static final double RHO_3 = Math.exp(OLD[0][1] - BEHAVIOUR[0][1]);

    private static ImportanceCorrection.Result run(String mode, double cap) {
        return ImportanceCorrection.weights(OLD, BEHAVIOUR, MASK, new ImportanceCorrectionSettings(mode, cap));
    }

    private static void assertWeights(double[][] want, ImportanceCorrection.Result r) {
        for (int i = 0; i < want.length; i++) {
            assertArrayEquals(want[i], r.weights()[i], 1e-12, "row " + i);
        }
        assertEquals(2.25, r.meanRatio(), 1e-12);
    }

    @Test
    void noneWeighsEveryRealTokenOne() {
        ImportanceCorrection.Result r = run("none", 2.0);
        assertWeights(new double[][] {{1, 1, 1}, {1, 0, 0}}, r);
        assertEquals(0.0, r.correctedFraction(), 0);
    }

    @Test
    void tokenTruncateCapsEachRatio() {
        ImportanceCorrection.Result r = run("token-truncate", 2.0);
        assertWeights(new double[][] {{0.5, 2, 1.5}, {2, 0, 0}}, r);
        assertEquals(0.5, r.correctedFraction(), 1e-12);
    }

    @Test
    void tokenMaskZeroesRatiosAboveTheCapAndKeepsOneEqualToIt() {
        ImportanceCorrection.Result r = run("token-mask", RHO_3);
        assertWeights(new double[][] {{0.5, RHO_3, 1.5}, {0, 0, 0}}, r);
        assertEquals(0.25, r.correctedFraction(), 1e-12);
    }

    @Test
    void sequenceTruncateCapsTheProductOfEachRowOnEveryToken() {
        ImportanceCorrection.Result r = run("sequence-truncate", 3.0);
        assertWeights(new double[][] {{2.25, 2.25, 2.25}, {3, 0, 0}}, r);
        assertEquals(0.25, r.correctedFraction(), 1e-12); // the one token of row 1: 4 capped to 3
    }

    @Test
    void sequenceMaskDropsWholeRowsAboveTheCap() {
        ImportanceCorrection.Result r = run("sequence-mask", 3.0);
        assertWeights(new double[][] {{2.25, 2.25, 2.25}, {0, 0, 0}}, r);
        assertEquals(0.25, r.correctedFraction(), 1e-12);
    }
}
