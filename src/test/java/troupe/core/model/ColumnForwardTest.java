package troupe.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDManager;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The forward that runs the lm head on some columns only gives those columns of the full forward. */
class ColumnForwardTest {

    @ParameterizedTest
    @CsvSource({"LLAMA,2,0,3", "QWEN2,1,4,9", "GPT2,4,8,9", "GPT2,4,2,7"})
    void logitsAndHiddenAtColumnsEqualTheFullForwardsColumns(ModelType type, int kvHeads, int from, int to) {
        SplittableRandom rnd = new SplittableRandom(from * 31L + to);
        ModelConfig cfg = KvCacheTest.tiny(type, kvHeads);
        try (NDManager root = NDManager.newBaseManager(); CausalLm lm = CausalLms.random(cfg, root, 3)) {
            int[][] prompts = new int[3][];
            int[][] responses = new int[3][];
            for (int i = 0; i < prompts.length; i++) {
                prompts[i] = KvCacheTest.randomIds(rnd, 2 + rnd.nextInt(4), cfg.vocabSize());
                responses[i] = KvCacheTest.randomIds(rnd, 4, cfg.vocabSize());
            }
            PaddedBatch b = PaddedBatch.of(prompts, responses, 0);
            try (NDManager m = root.newSubManager()) {
                CausalLm.Output all = lm.forward(b.tokens(m), b.positions(m), b.mask(m), null);
                CausalLm.Output some = lm.forward(b.tokens(m), b.positions(m), b.mask(m), null, from, to);
                String cols = CausalLm.columns(from, to);
                assertArrayEquals(all.logits().get(cols).toFloatArray(), some.logits().toFloatArray(), 1e-5f);
                assertArrayEquals(all.hidden().get(cols).toFloatArray(), some.hidden().toFloatArray(), 0f);
            }
        }
    }
}
