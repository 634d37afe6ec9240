package troupe.core.model.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.Test;
import troupe.core.model.CausalLm;
import troupe.core.model.CausalLms;
import troupe.core.model.ModelConfig;
import troupe.core.model.ModelType;
import troupe.core.model.PaddedBatch;

class SamplerTest {

    private static final float[] LOGITS = {1.5f, 0.2f, -0.3f, 0.9f, -2f, 0.6f};

    @Test
    void twentyThousandDrawsMatchTheTruncatedDistributionAndLogProbsAreItsLogs() {
        SamplingSettings s = new SamplingSettings(0.7, 5, 0.9, 10, 42, false, 1.0);
        double[] q = HostSampling.probabilities(LOGITS, 0, LOGITS.length, 0.7, 5, 0.9);
        long[] counts = new long[LOGITS.length];
        int[][] prompts = new int[2000][];
        java.util.Arrays.fill(prompts, new int[] {0});
        try (NDManager m = NDManager.newBaseManager()) {
            List<Completion> out = Sampler.generate(new FixedLogitsLm(LOGITS, -1), prompts, s, m);
            for (Completion c : out) {
                assertEquals(10, c.length());
                assertTrue(c.truncated());
                for (int t = 0; t < c.length(); t++) {
                    int y = c.tokens()[t];
                    counts[y]++;
                    assertEquals(Math.log(q[y]), c.samplerLogprobs()[t], 1e-5);
                    assertEquals(HostSampling.logProb(LOGITS, 0, LOGITS.length, 1.0, y),
                            c.learnerLogprobs()[t], 1e-5);
                }
            }
        }
        double chi2 = 0;
        int df = -1;
        for (int i = 0; i < q.length; i++) {
            if (q[i] == 0) {
                assertEquals(0, counts[i], "token " + i + " is truncated away");
            } else {
                double e = q[i] * 20000;
                chi2 += (counts[i] - e) * (counts[i] - e) / e;
                df++;
            }
        }
        // z/0.7: top-k 5 drops token 4; then q ≈ [.517, .081, .040, .219, 0, .143] and top-p 0.9 drops
        // token 2 (cumulative .040 ≤ 0.1) but not token 1 (cumulative .121).
        assertEquals(0.0, q[2]);
        assertEquals(0.0, q[4]);
        assertEquals(3, df);
        assertTrue(chi2 < 16.27, "chi-square " + chi2 + " exceeds the 0.999 quantile for df 3");
    }

    @Test
    void stopsAtEosAndKeepsIt() {
        float[] z = {3f, 0f, 0f}; // eos = 0 with p ≈ 0.91
        try (NDManager m = NDManager.newBaseManager()) {
            List<Completion> out = Sampler.generate(new FixedLogitsLm(z, 0), new int[][] {{1}, {2, 1}},
                    new SamplingSettings(1, 0, 1, 50, 3, false, 1), m);
            for (Completion c : out) {
                assertEquals(0, c.tokens()[c.length() - 1]);
                assertFalse(c.truncated());
            }
        }
    }

    @Test
    void sameSeedSameSamplesOtherSeedDiffers() {
        ModelConfig cfg = ModelConfig.sized(ModelType.QWEN2, 40, 2, 32, 4, 64, 1, 2, 0);
        try (NDManager m = NDManager.newBaseManager(); CausalLm lm = CausalLms.random(cfg, m, 5)) {
            int[][] prompts = {{1, 5, 6}, {1, 7}};
            SamplingSettings s = new SamplingSettings(1.0, 0, 1.0, 12, 9, false, 1.0);
            List<Completion> a = Sampler.generate(lm, prompts, s, m);
            List<Completion> b = Sampler.generate(lm, prompts, s, m);
            List<Completion> c = Sampler.generate(lm, prompts, s.withSeed(10), m);
            for (int i = 0; i < 2; i++) {
                assertArrayEquals(a.get(i).tokens(), b.get(i).tokens());
                assertArrayEquals(a.get(i).samplerLogprobs(), b.get(i).samplerLogprobs());
            }
            assertNotEquals(java.util.Arrays.toString(a.get(0).tokens()) + java.util.Arrays.toString(a.get(1).tokens()),
                    java.util.Arrays.toString(c.get(0).tokens()) + java.util.Arrays.toString(c.get(1).tokens()));
        }
    }

    @Test
    void greedyWithCacheEqualsArgmaxOfFullRecomputeForLeftPaddedRows() {
        for (ModelType type : ModelType.values()) {
            ModelConfig cfg = ModelConfig.sized(type, 30, 2, 32, 4, 64, 1, -1, 0);
            try (NDManager m = NDManager.newBaseManager(); CausalLm lm = CausalLms.random(cfg, m, 8)) {
                troupe.core.model.ReferenceForwardTestSupport.scaleUp(lm);
                int[][] prompts = {{1, 4, 9, 3, 2}, {1, 7}};
                List<Completion> out = Sampler.generate(lm, prompts, SamplingSettings.defaults()
                        .withGreedy(true).withMaxNewTokens(8), m);
                for (int i = 0; i < prompts.length; i++) {
                    int[] seq = prompts[i].clone();
                    for (int t = 0; t < 8; t++) {
                        PaddedBatch b = PaddedBatch.of(new int[][] {seq}, null, 0);
                        float[] z;
                        try (NDManager step = m.newSubManager()) {
                            z = lm.forward(b.tokens(step), b.positions(step), b.mask(step), null).logits()
                                    .get(":, -1, :").toFloatArray();
                        }
                        int want = HostSampling.argmax(z, 0, cfg.vocabSize());
                        assertEquals(want, out.get(i).tokens()[t], type + " row " + i + " step " + t);
                        assertEquals(0f, out.get(i).samplerLogprobs()[t]);
                        seq = java.util.Arrays.copyOf(seq, seq.length + 1);
                        seq[seq.length - 1] = want;
                    }
                }
            }
        }
    }
}
