package troupe.core.model.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.Test;
import troupe.core.model.CausalLm;
import troupe.core.model.CausalLms;
import troupe.core.model.ModelConfig;
import troupe.core.model.ModelType;
import troupe.core.model.PaddedBatch;
import troupe.core.model.ReferenceForwardTestSupport;

class ScorerTest {

    private static final int[][] PROMPTS = {{1, 3, 4, 5}, {1, 9}, {1, 2, 2}};
    private static final int[][] RESPONSES = {{6, 7}, {8, 10, 11, 2}, {3}};

    @Test
    void batchedScoresEqualPerSampleScoresAndTheDifferentiablePath() {
        for (ModelType type : ModelType.values()) {
            ModelConfig cfg = ModelConfig.sized(type, 20, 2, 32, 4, 64, 1, 2, 0);
            try (NDManager root = NDManager.newBaseManager(); CausalLm lm = CausalLms.random(cfg, root, 4)) {
                ReferenceForwardTestSupport.scaleUp(lm);
                ScoreSettings s = new ScoreSettings(0.7, 3, 2, 16);
                List<TokenScores> batched = Scorer.score(lm, PROMPTS, RESPONSES, s, root);
                float[] lp;
                float[] h;
                float[] mask;
                try (NDManager m = root.newSubManager()) {
                    PolicyLogProbs diff = PolicyLogProbs.compute(lm, PaddedBatch.of(PROMPTS, RESPONSES, 0), 0.7, m);
                    lp = diff.logprobs().toFloatArray();
                    h = diff.entropy().toFloatArray();
                    mask = diff.mask().toFloatArray();
                }
                for (int i = 0; i < PROMPTS.length; i++) {
                    TokenScores one = Scorer.score(lm, new int[][] {PROMPTS[i]}, new int[][] {RESPONSES[i]}, s, root).get(0);
                    TokenScores b = batched.get(i);
                    assertEquals(RESPONSES[i].length, b.logprobs().length);
                    for (int t = 0; t < RESPONSES[i].length; t++) {
                        assertEquals(one.logprobs()[t], b.logprobs()[t], 1e-4);
                        assertEquals(one.entropy()[t], b.entropy()[t], 1e-4);
                        assertEquals(one.topKMass()[t], b.topKMass()[t], 1e-4);
                        assertEquals(b.logprobs()[t], lp[i * 4 + t], 1e-4, type + " differentiable logp");
                        assertEquals(b.entropy()[t], h[i * 4 + t], 1e-4, type + " differentiable entropy");
                        assertEquals(1f, mask[i * 4 + t]);
                    }
                    for (int t = RESPONSES[i].length; t < 4; t++) {
                        assertEquals(0f, mask[i * 4 + t]);
                    }
                }
            }
        }
    }
}
