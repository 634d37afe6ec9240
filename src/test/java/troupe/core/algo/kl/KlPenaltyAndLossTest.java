package troupe.core.algo.kl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import troupe.core.TestSettings;
import troupe.core.algo.BatchTotals;
import troupe.core.algo.LossAggregation;
import troupe.core.algo.Nd;

class KlPenaltyAndLossTest {

    @Test
    void currentKlIsTokenMeanPerSequenceThenMeanOverSequences() {
        double[][] kl = {{0.2, -0.5, 9}, {0.3, 0.3, 0.3}};
        double[][] mask = {{1, 1, 0}, {1, 1, 1}};
        assertEquals(((0.2 - 0.5) / 2 + 0.3) / 2, KlPenalty.currentKl(kl, mask), 1e-12);
    }

    @Test
    void currentKlAveragesAnEmptyResponseInAsZeroLikeVerlApplyKlPenalty() {
        // verl: masked_mean(kld, mask, axis=-1) is 0/(0 + 1e-8) = 0 for the empty row, then the mean over all rows
        double[][] kl = {{0.2, 0.4}, {9, 9}};
        double[][] mask = {{1, 1}, {0, 0}};
        assertEquals(0.3 / 2, KlPenalty.currentKl(kl, mask), 1e-12);
        assertEquals(0, KlPenalty.currentKl(kl, new double[2][2]), 0);
    }

    @Test
    void klLossIsBetaTimesAggregatedK3AndIgnoresPadding() {
        try (NDManager m = NDManager.newBaseManager()) {
            double[][] logp = {{-1.0, -2.0, 50}};
            double[][] ref = {{-1.2, -1.5, -50}};
            double[][] mask = {{1, 1, 0}};
            KlSettings s = TestSettings.kl(); // k3 as the loss, verl's clamps ±20 / ±10
            KlLoss.Result r = KlLoss.compute(Nd.of(m, logp), Nd.of(m, ref), Nd.of(m, mask), s, 0.04,
                    LossAggregation.TOKEN_MEAN, BatchTotals.of(mask));
            assertEquals(0.0837260, r.meanKl(), 1e-7);
            assertEquals(0.04 * 0.0837260, Nd.scalar(r.loss()), 1e-8);
        }
    }
}
