package troupe.core.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Incremental decoding with a KV cache reproduces the full-recompute logits. */
class KvCacheTest {

    static ModelConfig tiny(ModelType type, int kvHeads) {
        return new ModelConfig(type, 37, 32, 2, 4, kvHeads, 48, 64,
                type == ModelType.GPT2 ? 1e-5 : 1e-6, 10000, type != ModelType.QWEN2, 1, 2, 0);
    }

    @ParameterizedTest
    @CsvSource({"LLAMA,4,1,1", "LLAMA,2,3,2", "QWEN2,1,2,3", "QWEN2,2,4,4", "GPT2,4,1,5", "GPT2,4,3,6"})
    void cachedLogitsEqualFullRecomputeWithLeftPadding(ModelType type, int kvHeads, int batch, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        ModelConfig cfg = tiny(type, kvHeads);
        try (NDManager root = NDManager.newBaseManager(); CausalLm lm = CausalLms.random(cfg, root, seed)) {
            int[][] prompts = new int[batch][];
            int[][] rest = new int[batch][];
            for (int i = 0; i < batch; i++) {
                prompts[i] = randomIds(rnd, 1 + rnd.nextInt(6), cfg.vocabSize());
                rest[i] = randomIds(rnd, 5, cfg.vocabSize());
            }
            PaddedBatch full = PaddedBatch.of(prompts, rest, 0);
            int s = full.length();
            int p = full.promptLength();
            try (NDManager m = root.newSubManager()) {
                float[] ref = lm.forward(full.tokens(m), full.positions(m), full.mask(m), null).logits().toFloatArray();
                KvCache cache = lm.newCache(m);
                int v = cfg.vocabSize();
                for (int end = p; end <= s; end++) {
                    int start = end == p ? 0 : end - 1;
                    NDArray tok = full.tokens(m).get(":, " + start + ":" + end);
                    NDArray pos = full.positions(m).get(":, " + start + ":" + end);
                    NDArray mask = full.mask(m).get(":, :" + end);
                    float[] got = lm.forward(tok, pos, mask, cache).logits().toFloatArray();
                    int t = end - start;
                    for (int i = 0; i < batch; i++) {
                        for (int j = 0; j < t; j++) {
                            if (full.mask()[i * s + start + j] == 0f) {
                                continue;
                            }
                            for (int c = 0; c < v; c++) {
                                float a = got[(i * t + j) * v + c];
                                float b = ref[(i * s + start + j) * v + c];
                                assertTrue(Math.abs(a - b) <= 1e-4, "row " + i + " col " + (start + j) + ": " + a + " vs " + b);
                            }
                        }
                    }
                }
                assertUnpaddedRowsAgree(lm, m, prompts, rest, ref, s, v);
            }
        }
    }

    /** Each row alone (no padding) gives the same logits as inside the left-padded batch. */
    private static void assertUnpaddedRowsAgree(CausalLm lm, NDManager m, int[][] prompts, int[][] rest,
                                                float[] ref, int s, int v) {
        for (int i = 0; i < prompts.length; i++) {
            PaddedBatch one = PaddedBatch.of(new int[][] {prompts[i]}, new int[][] {rest[i]}, 0);
            float[] got = lm.forward(one.tokens(m), one.positions(m), one.mask(m), null).logits().toFloatArray();
            int offset = s - one.length();
            for (int j = 0; j < one.length(); j++) {
                for (int c = 0; c < v; c++) {
                    float a = got[j * v + c];
                    float b = ref[(i * s + offset + j) * v + c];
                    assertTrue(Math.abs(a - b) <= 1e-4, "unpadded row " + i + " col " + j + ": " + a + " vs " + b);
                }
            }
        }
    }

    static int[] randomIds(SplittableRandom rnd, int n, int vocab) {
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = rnd.nextInt(vocab);
        }
        return ids;
    }
}
