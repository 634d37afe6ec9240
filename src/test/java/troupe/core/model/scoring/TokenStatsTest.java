package troupe.core.model.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** ALGORITHMS.md §1 and §7 worked examples. */
class TokenStatsTest {

    @Test
    void logProbAndEntropyAtTemperatureOneAndHalf() {
        float[] z = {2f, 1f, 0f};
        double[] row = TokenStats.logSoftmax(z, 0, 3, 1.0);
        assertEquals(-0.407606, row[0], 1e-6);
        assertEquals(0.832396, TokenStats.entropy(row), 1e-6);
        row = TokenStats.logSoftmax(z, 0, 3, 0.5);
        assertEquals(-0.142932, row[0], 1e-6);
        assertEquals(0.441057, TokenStats.entropy(row), 1e-6);
    }

    @Test
    void topKMassAndBothTopKEntropies() {
        double[] logp = {Math.log(0.5), Math.log(0.3), Math.log(0.1), Math.log(0.1)};
        assertArrayEquals(new double[] {0.8, 0.661563, 0.707765}, TokenStats.topK(logp, 2), 1e-6);
        assertEquals(1.168282, TokenStats.entropy(logp), 1e-6);
    }
}
