package troupe.core.model.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The native statistics against the host reference {@link TokenStats} they replaced. */
class TensorTokenStatsTest {

    @Test
    void nativeStatisticsEqualTheHostComputationToFloatRounding() {
        Random r = new Random(11);
        int exact = 0;
        int total = 0;
        for (int trial = 0; trial < 40; trial++) {
            int b = 1 + r.nextInt(6);
            int l = 1 + r.nextInt(7);
            int v = 2 + r.nextInt(300);
            int k = 1 + r.nextInt(v + 4); // k beyond the vocabulary too
            double temperature = trial % 3 == 0 ? 1.0 : 0.3 + r.nextDouble() * 1.5;
            float[] logits = new float[b * l * v];
            for (int i = 0; i < logits.length; i++) {
                // peaked rows, ties (at −3) and wide values
                logits[i] = r.nextInt(5) == 0 ? -3f : (float) (r.nextGaussian() * (trial % 2 == 0 ? 3 : 12));
            }
            int[][] responses = new int[b][];
            for (int i = 0; i < b; i++) {
                responses[i] = new int[i == 0 ? l : r.nextInt(l + 1)]; // ragged, some empty
                for (int t = 0; t < responses[i].length; t++) {
                    responses[i][t] = r.nextInt(v);
                }
            }
            float[] values = new float[b * l];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) r.nextGaussian();
            }
            List<TokenScores> want = TokenStats.tokenScores(logits, responses, l, v, temperature, k);
            List<TokenScores> got;
            float[][] chosen;
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray z = m.create(logits, new Shape(b, l, v));
                got = TensorTokenStats.scores(z, responses, temperature, k, values, HealthSample.rows(b, b));
                chosen = TensorTokenStats.chosenLogProbs(z, responses, temperature);
            }
            String at = "trial " + trial + " (B " + b + ", L " + l + ", V " + v + ", k " + k + ", T " + temperature + ")";
            for (int i = 0; i < b; i++) {
                TokenScores w = want.get(i);
                TokenScores g = got.get(i);
                assertArrayEquals(w.logprobs(), g.logprobs(), 1e-5f, at);
                assertArrayEquals(w.logprobs(), chosen[i], 1e-5f, at);
                assertArrayEquals(w.entropy(), g.entropy(), 1e-5f, at);
                assertArrayEquals(w.topKMass(), g.topKMass(), 1e-6f, at);
                assertArrayEquals(w.topKEntropyRenormalised(), g.topKEntropyRenormalised(), 1e-5f, at);
                assertArrayEquals(w.topKEntropyPartial(), g.topKEntropyPartial(), 1e-5f, at);
                assertArrayEquals(java.util.Arrays.copyOfRange(values, i * l, i * l + responses[i].length),
                        g.values(), at);
                for (int t = 0; t < w.logprobs().length; t++) {
                    exact += w.logprobs()[t] == g.logprobs()[t] && w.entropy()[t] == g.entropy()[t] ? 1 : 0;
                    total++;
                }
            }
        }
        // Both sides compute in double and round to float once: nearly every value is bit-identical.
        assertEquals(1.0, (double) exact / total, 0.05, exact + " of " + total + " bit-identical");
    }

    /**
     * Entropy and top-k on a sample of rows equal the full computation on those rows, null on the
     * others; chunks of several rows (a vocabulary of 2^20 at L 2: two rows per chunk) and runs
     * broken by unsampled rows give the same values; padded slots never reach the output.
     */
    @Test
    void sampledRowsInChunksEqualTheFullComputationOnThoseRows() {
        Random r = new Random(5);
        int l = 2;
        int v = 1 << 20;
        int b = 5;
        float[] logits = new float[b * l * v];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) (r.nextGaussian() * 4);
        }
        int[][] responses = {{3, 9}, {7}, {1, 2}, {}, {v - 1, 0}}; // ragged: padded slots in rows 1 and 3
        boolean[] rows = {true, true, false, true, true};
        List<TokenScores> want = TokenStats.tokenScores(logits, responses, l, v, 0.8, 5);
        List<TokenScores> got;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray z = m.create(logits, new Shape(b, l, v));
            got = TensorTokenStats.scores(z, responses, 0.8, 5, null, rows);
            assertEquals(1, m.getManagedArrays().size(), "every chunk's temporaries were freed");
        }
        for (int i = 0; i < b; i++) {
            TokenScores w = want.get(i);
            TokenScores g = got.get(i);
            assertArrayEquals(w.logprobs(), g.logprobs(), 1e-5f, "log-probs of every row, row " + i);
            assertEquals(rows[i], g.sampled(), "row " + i);
            if (rows[i]) {
                assertArrayEquals(w.entropy(), g.entropy(), 1e-5f, "row " + i);
                assertArrayEquals(w.topKMass(), g.topKMass(), 1e-6f, "row " + i);
                assertArrayEquals(w.topKEntropyRenormalised(), g.topKEntropyRenormalised(), 1e-5f, "row " + i);
                assertArrayEquals(w.topKEntropyPartial(), g.topKEntropyPartial(), 1e-5f, "row " + i);
            } else {
                assertEquals(null, g.topKMass());
            }
        }
    }
}
