package troupe.core.model.scoring;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import troupe.core.model.CausalLm;
import troupe.core.model.PaddedBatch;
import troupe.core.model.ValueHead;

/**
 * Batched teacher-forced scoring for the reference-KL role and the learner's metrics: plain arrays
 * in (ragged prompt + response per sample), plain arrays out, no gradient.
 *
 * <p>Per micro-batch: one forward over [B, P + L], logits at columns P−1 … P+L−2 only (the logit
 * at j predicts token j+1, §1), reduced in native code by {@link TensorTokenStats} in double; only
 * [B, L] results are copied to the host. Padded positions never reach the output: each sample's
 * arrays have its own response length. Entropy and top-k are computed on the rows
 * {@link HealthSample} picks over the whole call (null elsewhere); log-probs on every row.
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
        List<TokenScores> out = new ArrayList<>(prompts.length);
        boolean[] sampled = HealthSample.rows(prompts.length, s.healthRows());
        forEachChunk(lm, prompts, responses, s.microBatch(), parent, (chunk, logits, hidden) -> {
            float[] values = valueHead == null || logits == null ? null : valueHead.values(hidden).toFloatArray();
            boolean[] rows = java.util.Arrays.copyOfRange(sampled, out.size(), out.size() + chunk.length);
            out.addAll(logits == null ? empty(rows)
                    : TensorTokenStats.scores(logits, chunk, s.temperature(), s.topK(), values, rows));
        });
        return out;
    }

    /** Only the log-probs of the response tokens at temperature T (the reference role's output). */
    public static float[][] logprobs(CausalLm lm, int[][] prompts, int[][] responses, double temperature,
                                     int microBatch, NDManager parent) {
        List<float[]> out = new ArrayList<>(prompts.length);
        forEachChunk(lm, prompts, responses, microBatch, parent, (chunk, logits, hidden) -> {
            float[][] rows = logits == null ? new float[chunk.length][0]
                    : TensorTokenStats.chosenLogProbs(logits, chunk, temperature);
            out.addAll(java.util.Arrays.asList(rows));
        });
        return out.toArray(new float[0][]);
    }

    /** What one micro-batch's forward hands on: logits [B, L, V] and hidden [B, L, C], null when L = 0. */
    private interface ChunkSink {
        void accept(int[][] responses, NDArray logits, NDArray hidden);
    }

    private static void forEachChunk(CausalLm lm, int[][] prompts, int[][] responses, int microBatch,
                                     NDManager parent, ChunkSink sink) {
        if (prompts.length != responses.length) {
            throw new IllegalArgumentException(prompts.length + " prompts but " + responses.length + " responses");
        }
        for (int start = 0; start < prompts.length; start += microBatch) {
            int end = Math.min(prompts.length, start + microBatch);
            int[][] p = java.util.Arrays.copyOfRange(prompts, start, end);
            int[][] r = java.util.Arrays.copyOfRange(responses, start, end);
            PaddedBatch batch = PaddedBatch.of(p, r, lm.config().fillTokenId());
            int l = batch.responseLength();
            if (l == 0) {
                sink.accept(r, null, null);
                continue;
            }
            try (NDManager m = parent.newSubManager()) {
                int from = batch.promptLength() - 1;
                CausalLm.Output out = lm.forward(batch.tokens(m), batch.positions(m), batch.mask(m), null, from,
                        from + l);
                sink.accept(r, out.logits(), out.hidden());
            }
        }
    }

    /** Scores of responses that all are empty (health arrays empty on sampled rows, null elsewhere). */
    private static List<TokenScores> empty(boolean[] sampled) {
        List<TokenScores> out = new ArrayList<>(sampled.length);
        for (boolean row : sampled) {
            float[] none = new float[0];
            float[] health = row ? none : null;
            out.add(new TokenScores(none, health, health, health, health, null));
        }
        return out;
    }
}
