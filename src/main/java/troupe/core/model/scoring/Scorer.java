package troupe.core.model.scoring;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import troupe.core.model.CausalLm;
import troupe.core.model.PaddedBatch;
import troupe.core.model.train.ValueHead;

/**
 * Batched teacher-forced scoring for the reference-KL role and the learner's metrics: plain arrays
 * in (ragged prompt + response per sample), plain arrays out, no gradient.
 *
 * <p>Per micro-batch: one forward over [B, P + L], logits at columns P−1 … P+L−2 (the logit at
 * j predicts token j+1, §1), copied to the host and reduced by {@link TokenStats} in double.
 * Padded positions never reach the output: each sample's arrays have its own response length.
 */
public final class Scorer {

    private Scorer() {
    }

    public static List<TokenScores> score(CausalLm lm, int[][] prompts, int[][] responses, ScoreSettings s,
                                          NDManager parent) {
        return score(lm, null, prompts, responses, s, parent);
    }

    /**
     * As {@link #score(CausalLm, int[][], int[][], ScoreSettings, NDManager)}, and when
     * {@code valueHead} is not null also its values V_t on the same forward pass (PPO-GAE's old
     * values: one forward for both).
     */
    public static List<TokenScores> score(CausalLm lm, ValueHead valueHead, int[][] prompts, int[][] responses,
                                          ScoreSettings s, NDManager parent) {
        if (prompts.length != responses.length) {
            throw new IllegalArgumentException(prompts.length + " prompts but " + responses.length + " responses");
        }
        List<TokenScores> out = new ArrayList<>(prompts.length);
        for (int start = 0; start < prompts.length; start += s.microBatch()) {
            int end = Math.min(prompts.length, start + s.microBatch());
            int[][] p = java.util.Arrays.copyOfRange(prompts, start, end);
            int[][] r = java.util.Arrays.copyOfRange(responses, start, end);
            out.addAll(scoreChunk(lm, valueHead, p, r, s, parent));
        }
        return out;
    }

    private static List<TokenScores> scoreChunk(CausalLm lm, ValueHead valueHead, int[][] prompts,
                                                int[][] responses, ScoreSettings s, NDManager parent) {
        PaddedBatch batch = PaddedBatch.of(prompts, responses, lm.config().fillTokenId());
        int p = batch.promptLength();
        int l = batch.responseLength();
        int v = lm.config().vocabSize();
        float[] logits;
        float[] values = null;
        if (l == 0) {
            logits = new float[0];
        } else {
            try (NDManager m = parent.newSubManager()) {
                CausalLm.Output out = lm.forward(batch.tokens(m), batch.positions(m), batch.mask(m), null);
                String cols = ":, " + (p - 1) + ":" + (p - 1 + l) + ", :";
                logits = out.logits().get(cols).toFloatArray(); // [B, L, V]
                if (valueHead != null) {
                    values = valueHead.values(out.hidden().get(cols)).toFloatArray(); // [B, L]
                }
            }
        }
        return tokenScores(logits, responses, l, v, s.temperature(), s.topK(), values);
    }

    /**
     * Per-token scores of responses from their logits already on the host.
     *
     * @param logits [B, L, V] flattened, the logit at column t predicting response token t
     * @param responses B ragged responses, each at most {@code l} tokens
     * @param temperature divides the logits (1 when they are already z/T)
     * @param values [B, L] critic values, or null
     */
    public static List<TokenScores> tokenScores(float[] logits, int[][] responses, int l, int v, double temperature,
                                                int topK, float[] values) {
        List<TokenScores> out = new ArrayList<>(responses.length);
        for (int i = 0; i < responses.length; i++) {
            int n = responses[i].length;
            float[] lp = new float[n];
            float[] h = new float[n];
            float[] mass = new float[n];
            float[] renorm = new float[n];
            float[] partial = new float[n];
            for (int t = 0; t < n; t++) {
                double[] row = TokenStats.logSoftmax(logits, (i * l + t) * v, v, temperature);
                lp[t] = (float) row[responses[i][t]];
                h[t] = (float) TokenStats.entropy(row);
                double[] k = TokenStats.topK(row, topK);
                mass[t] = (float) k[0];
                renorm[t] = (float) k[1];
                partial[t] = (float) k[2];
            }
            float[] critic = null;
            if (values != null) {
                critic = new float[n];
                if (n > 0) {
                    System.arraycopy(values, i * l, critic, 0, n);
                }
            }
            out.add(new TokenScores(lp, h, mass, renorm, partial, critic));
        }
        return out;
    }
}
