package troupe.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The DJL forward equals a loop-by-loop double-precision forward on tiny random weights. */
class ReferenceForwardTest {

    @ParameterizedTest
    @CsvSource({"LLAMA,2,true", "LLAMA,4,false", "QWEN2,1,false", "QWEN2,2,true", "GPT2,4,true", "GPT2,4,false"})
    void djlForwardMatchesDoublePrecisionReference(ModelType type, int kvHeads, boolean tied) {
        ModelConfig cfg = KvCacheTest.tiny(type, kvHeads).withTieEmbeddings(tied);
        try (NDManager root = NDManager.newBaseManager(); CausalLm lm = CausalLms.random(cfg, root, 7)) {
            randomiseNorms(lm, 11);
            int[] tokens = KvCacheTest.randomIds(new SplittableRandom(3), 9, cfg.vocabSize());
            PaddedBatch b = PaddedBatch.of(new int[][] {tokens}, null, 0);
            Map<String, float[]> host = lm.parameters().toHost();
            double[][] ref = new ReferenceForward(cfg, host).logits(tokens);
            try (NDManager m = root.newSubManager()) {
                float[] got = lm.forward(b.tokens(m), b.positions(m), b.mask(m), null).logits().toFloatArray();
                double maxAbs = 0;
                for (double[] row : ref) {
                    for (double r : row) {
                        maxAbs = Math.max(maxAbs, Math.abs(r));
                    }
                }
                org.junit.jupiter.api.Assertions.assertTrue(maxAbs > 0.5, "logits should be O(1), max " + maxAbs);
                for (int t = 0; t < tokens.length; t++) {
                    for (int v = 0; v < cfg.vocabSize(); v++) {
                        assertEquals(ref[t][v], got[t * cfg.vocabSize() + v], 1e-4, "t=" + t + " v=" + v);
                    }
                }
            }
        }
    }

    /**
     * Norm gains and biases start at 1 and 0: perturb them so their orientation is tested too, and
     * scale the N(0, 0.02²) matrices by 10 so logits are O(1) and the 1e-4 tolerance is tight.
     */
    static void randomiseNorms(CausalLm lm, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (String name : lm.parameters().names()) {
            boolean matrix = ParameterLayout.initOf(name) == ParameterLayout.Init.NORMAL;
            float[] v = lm.parameters().get(name).toFloatArray();
            for (int i = 0; i < v.length; i++) {
                v[i] = matrix ? v[i] * 10 : v[i] + (float) (rnd.nextGaussian() * 0.3);
            }
            lm.parameters().copyInto(name, v);
        }
    }
}
