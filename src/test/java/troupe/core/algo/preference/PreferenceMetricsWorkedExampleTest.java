package troupe.core.algo.preference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/** The implicit-reward diagnostics of the preference losses, worked by hand (mutation testing found them unpinned). */
class PreferenceMetricsWorkedExampleTest {

    private static void assertMetrics(double acc, double margin, double chosen, double rejected, PreferenceMetrics m) {
        assertEquals(acc, m.rewardAccuracy(), 1e-12, "accuracy");
        assertEquals(margin, m.rewardMargin(), 1e-12, "margin");
        assertEquals(chosen, m.chosenReward(), 1e-12, "chosen");
        assertEquals(rejected, m.rejectedReward(), 1e-12, "rejected");
    }

    /** β = 0.1; pairs (1, 0.5) won, (−0.5, 0.5) lost, (2, 2) a tie counts as not won. */
    @Test
    void rewardsAreBetaTimesTheLogRatiosMeanedOverPairs() {
        try (NDManager m = NDManager.newBaseManager()) {
            PreferenceMetrics pm = PreferenceMath.metrics(m.create(new double[] {1.0, -0.5, 2.0}),
                    m.create(new double[] {0.5, 0.5, 2.0}), 0.1);
            assertMetrics(1.0 / 3, 0.1 * (0.5 - 1.0) / 3, 0.1 * 2.5 / 3, 0.1 * 3.0 / 3, pm);
        }
    }

    @Test
    void noPairsGiveZeros() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertMetrics(0, 0, 0, 0, PreferenceMath.metrics(m.create(new double[0]), m.create(new double[0]), 0.1));
        }
    }

    /** Rewards against the reference: chosen = π_w − ref_w = (0.5, 1.5), rejected = π_l − ref_l = (1, 0.5), β = 2. */
    @Test
    void referenceMetricsSubtractTheReferenceLogProbs() {
        try (NDManager m = NDManager.newBaseManager()) {
            PreferenceBatch b = PreferenceBatch.of(m.create(new double[] {1, 1}), m.create(new double[] {-1, -1}),
                    m.create(new double[] {0.5, -0.5}), m.create(new double[] {-2, -1.5}));
            assertMetrics(0.5, 2 * (-0.5 + 1.0) / 2, 2 * 2.0 / 2, 2 * 1.5 / 2,
                    PreferenceMath.referenceMetrics(b, 2.0, "dpo"));
        }
    }
}
