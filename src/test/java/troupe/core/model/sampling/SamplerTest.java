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
    void temperatureAloneTopKAloneAndTopPAloneEachDrawTheHostDistribution() {
        double[][] settings = {{1.6, 0, 1.0}, {1.0, 3, 1.0}, {1.0, 0, 0.7}};
        for (double[] st : settings) {
            SamplingSettings s = new SamplingSettings(st[0], (int) st[1], st[2], 10, 7, false, 1.0);
            double[] q = HostSampling.probabilities(LOGITS, 0, LOGITS.length, st[0], (int) st[1], st[2]);
            long[] counts = new long[LOGITS.length];
            int[][] prompts = new int[2000][];
            java.util.Arrays.fill(prompts, new int[] {0});
            try (NDManager m = NDManager.newBaseManager()) {
                for (Completion c : Sampler.generate(new FixedLogitsLm(LOGITS, -1), prompts, s, m)) {
                    for (int t = 0; t < c.length(); t++) {
                        counts[c.tokens()[t]]++;
                        assertEquals(Math.log(q[c.tokens()[t]]), c.samplerLogprobs()[t], 1e-6);
                    }
                }
            }
            double chi2 = 0;
            int df = -1;
            for (int i = 0; i < q.length; i++) {
                if (q[i] == 0) {
                    assertEquals(0, counts[i], java.util.Arrays.toString(st) + ": token " + i + " is truncated away");
                } else {
                    double e = q[i] * 20000;
                    chi2 += (counts[i] - e) * (counts[i] - e) / e;
                    df++;
                }
            }
            // 0.999 quantiles of chi-square for df 5, 2 and 2 (T 1.6 keeps all six tokens; top-k 3 keeps
            // three; top-p 0.7 keeps 1.5, 0.9 and 0.6: the cumulative mass below them exceeds 0.3).
            double limit = df == 5 ? 20.52 : 13.82;
            assertEquals(st[1] == 3 || st[2] < 1 ? 2 : 5, df, java.util.Arrays.toString(st));
            assertTrue(chi2 < limit, java.util.Arrays.toString(st) + ": chi-square " + chi2 + " df " + df);
        }
    }

    @Test
    void topKKeepsEveryTokenTiedAtTheKthLogit() {
        float[] z = {1f, 0f, 1f, 1f, -1f}; // top-k 2 keeps the three tokens tied at 1: q = 1/3 each
        int[][] prompts = new int[300][];
        java.util.Arrays.fill(prompts, new int[] {0});
        long[] counts = new long[z.length];
        try (NDManager m = NDManager.newBaseManager()) {
            for (Completion c : Sampler.generate(new FixedLogitsLm(z, -1), prompts,
                    new SamplingSettings(1, 2, 1, 10, 8, false, 1), m)) {
                for (int t = 0; t < c.length(); t++) {
                    counts[c.tokens()[t]]++;
                    assertEquals(Math.log(1 / 3.0), c.samplerLogprobs()[t], 1e-6);
                }
            }
        }
        assertEquals(0, counts[1] + counts[4]);
        for (int i : new int[] {0, 2, 3}) {
            assertTrue(Math.abs(counts[i] - 1000) < 150, "token " + i + " drawn " + counts[i] + " of 3000");
        }
    }

    @Test
    void sampledTokensAndLogProbsReplayTheHostLoopsWithTheSameSeededStreams() {
        ModelConfig cfg = ModelConfig.sized(ModelType.LLAMA, 50, 2, 32, 4, 64, 1, -1, 0);
        try (NDManager m = NDManager.newBaseManager(); CausalLm lm = CausalLms.random(cfg, m, 6)) {
            troupe.core.model.ReferenceForwardTestSupport.scaleUp(lm);
            int[][] prompts = {{1, 4, 9, 3, 2}, {1, 7}, {1, 8, 8}};
            SamplingSettings s = new SamplingSettings(0.8, 9, 0.9, 6, 21, false, 1.3);
            List<Completion> out = Sampler.generate(lm, prompts, s, m);
            java.util.SplittableRandom root = new java.util.SplittableRandom(s.seed());
            for (int i = 0; i < prompts.length; i++) {
                java.util.SplittableRandom rng = root.split(); // row i's stream, as the sampler splits it
                int[] seq = prompts[i].clone();
                for (int t = 0; t < 6; t++) {
                    float[] z = lastLogits(lm, seq, m);
                    double[] q = HostSampling.probabilities(z, 0, cfg.vocabSize(), 0.8, 9, 0.9);
                    int want = HostSampling.draw(q, rng);
                    Completion c = out.get(i);
                    assertEquals(want, c.tokens()[t], "row " + i + " step " + t);
                    assertEquals(Math.log(q[want]), c.samplerLogprobs()[t], 1e-5);
                    assertEquals(HostSampling.logProb(z, 0, cfg.vocabSize(), 1.3, want), c.learnerLogprobs()[t], 1e-5);
                    seq = java.util.Arrays.copyOf(seq, seq.length + 1);
                    seq[seq.length - 1] = want;
                }
            }
        }
    }

    @Test
    void behaviourLogProbsEqualTheLearnersLogProbsOfTheChosenTokens() {
        ModelConfig cfg = ModelConfig.sized(ModelType.QWEN2, 40, 2, 32, 4, 64, 1, -1, 0);
        try (NDManager m = NDManager.newBaseManager(); CausalLm lm = CausalLms.random(cfg, m, 3)) {
            troupe.core.model.ReferenceForwardTestSupport.scaleUp(lm);
            int[][] prompts = {{1, 5, 6, 2}, {1, 7}};
            List<Completion> out = Sampler.generate(lm, prompts, new SamplingSettings(1, 0, 1, 8, 2, false, 1), m);
            int[][] responses = out.stream().map(Completion::tokens).toArray(int[][]::new);
            float[][] learner = troupe.core.model.scoring.Scorer.logprobs(lm, prompts, responses, 1.0, 4, m);
            for (int i = 0; i < prompts.length; i++) {
                // Untruncated at T 1 the sampled distribution is the policy: old = learner at step 0.
                assertArrayEquals(out.get(i).learnerLogprobs(), out.get(i).samplerLogprobs(), 1e-6f);
                assertArrayEquals(learner[i], out.get(i).samplerLogprobs(), 1e-4f, "row " + i);
            }
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
                        float[] z = lastLogits(lm, seq, m);
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

    /** Logits of the last position of one unpadded sequence, by a full forward without cache. */
    private static float[] lastLogits(CausalLm lm, int[] seq, NDManager m) {
        PaddedBatch b = PaddedBatch.of(new int[][] {seq}, null, 0);
        try (NDManager step = m.newSubManager()) {
            return lm.forward(b.tokens(step), b.positions(step), b.mask(step), null).logits().get(":, -1, :")
                    .toFloatArray();
        }
    }
}
