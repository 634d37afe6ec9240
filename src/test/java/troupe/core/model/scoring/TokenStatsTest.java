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

    @Test
    void topKSelectsTheSameValuesAsAFullSortInAnyOrderWithTiesAndKBeyondTheVocabulary() {
        java.util.Random r = new java.util.Random(7);
        for (int trial = 0; trial < 200; trial++) {
            int v = 1 + r.nextInt(300);
            double[] logits = new double[v];
            for (int i = 0; i < v; i++) {
                logits[i] = r.nextInt(4) == 0 ? -3.0 : r.nextGaussian() * 3; // ties at -3
            }
            double max = java.util.Arrays.stream(logits).max().orElseThrow();
            double z = Math.log(java.util.Arrays.stream(logits).map(x -> Math.exp(x - max)).sum()) + max;
            double[] logp = java.util.Arrays.stream(logits).map(x -> x - z).toArray();
            int k = 1 + r.nextInt(v + 5);
            double[] sorted = logp.clone();
            java.util.Arrays.sort(sorted);
            double mass = 0;
            double partial = 0;
            for (int i = 0; i < Math.min(k, v); i++) {
                double lp = sorted[v - 1 - i];
                mass += Math.exp(lp);
                partial -= Math.exp(lp) * lp;
            }
            double[] got = TokenStats.topK(logp, k);
            assertEquals(mass, got[0], 1e-12, "mass, trial " + trial);
            assertEquals(partial / mass + Math.log(mass), got[1], 1e-9, "renormalised entropy, trial " + trial);
            assertEquals(partial, got[2], 1e-12, "partial entropy, trial " + trial);
        }
    }
}
