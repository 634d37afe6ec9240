package troupe.core.model.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import troupe.core.model.CausalLm;
import troupe.core.model.KvCache;
import troupe.core.model.ModelType;
import troupe.core.model.PaddedBatch;

/**
 * Batched autoregressive sampling with a KV cache.
 *
 * <p>Prompts are left-padded into one batch and prefilled in one forward; each later step feeds
 * one token per row. A row stops at EOS (kept in its tokens) or after {@code maxNewTokens};
 * finished rows keep feeding the fill token until every row is done (their outputs are ignored).
 * Row i draws from its own stream, the i-th {@code split()} of {@code SplittableRandom(seed)}, so
 * results are reproducible for a given batch and seed: the uniforms come from those streams and
 * the draw happens on the engine ({@link SamplingDistribution}), so each step copies only [B]
 * ids and log-probs to the host.
 */
public final class Sampler {

    private Sampler() {
    }

    /** Samples one completion per prompt. Arrays allocated here are freed before returning. */
    public static List<Completion> generate(CausalLm lm, int[][] prompts, SamplingSettings s, NDManager parent) {
        int b = prompts.length;
        int eos = lm.config().eosTokenId();
        int fill = lm.config().fillTokenId();
        PaddedBatch batch = PaddedBatch.of(prompts, null, fill);
        int p = batch.promptLength();
        if (lm.config().type() == ModelType.GPT2 && p + s.maxNewTokens() > lm.config().maxPositions()) {
            throw new IllegalArgumentException("prompt " + p + " + max new " + s.maxNewTokens()
                    + " exceeds gpt2 n_positions " + lm.config().maxPositions());
        }
        SplittableRandom root = new SplittableRandom(s.seed());
        SplittableRandom[] rng = new SplittableRandom[b];
        List<Row> rows = new ArrayList<>(b);
        long[] nextPos = new long[b];
        for (int i = 0; i < b; i++) {
            rng[i] = root.split();
            rows.add(new Row(s.maxNewTokens()));
            nextPos[i] = prompts[i].length;
        }
        int maxLen = p + s.maxNewTokens();
        float[] mask = new float[b * maxLen];
        for (int i = 0; i < b; i++) {
            System.arraycopy(batch.mask(), i * p, mask, i * maxLen, p);
        }
        try (NDManager session = parent.newSubManager(); KvCache cache = lm.newCache(session, maxLen)) {
            TokenChoice chosen;
            try (NDManager step = session.newSubManager()) {
                NDArray logits = lm.forward(batch.tokens(step), batch.positions(step), batch.mask(step), cache,
                        p - 1, p).logits(); // [B, 1, V]: the last prompt column alone
                chosen = TokenChoice.pick(logits, s, uniforms(rows, rng, s));
            }
            int len = p;
            for (int t = 0; t < s.maxNewTokens(); t++) {
                long[] next = new long[b];
                boolean anyOpen = false;
                for (int i = 0; i < b; i++) {
                    Row row = rows.get(i);
                    next[i] = fill;
                    if (row.done) {
                        continue;
                    }
                    int token = (int) chosen.tokens()[i];
                    row.add(token, chosen.samplerLp()[i], chosen.learnerLp()[i]);
                    row.done = token == eos || row.size == s.maxNewTokens();
                    next[i] = token;
                    anyOpen |= !row.done;
                }
                if (!anyOpen) {
                    break;
                }
                for (int i = 0; i < b; i++) {
                    mask[i * maxLen + len] = 1f;
                }
                len++;
                long[] pos = nextPos.clone();
                for (int i = 0; i < b; i++) {
                    nextPos[i]++;
                }
                try (NDManager step = session.newSubManager()) {
                    float[] m = new float[b * len];
                    for (int i = 0; i < b; i++) {
                        System.arraycopy(mask, i * maxLen, m, i * len, len);
                    }
                    NDArray logits = lm.forward(step.create(next, new Shape(b, 1)), step.create(pos, new Shape(b, 1)),
                            step.create(m, new Shape(b, len)), cache).logits(); // [B, 1, V]
                    chosen = TokenChoice.pick(logits, s, uniforms(rows, rng, s));
                }
            }
        }
        List<Completion> result = new ArrayList<>(b);
        for (Row row : rows) {
            result.add(row.toCompletion(eos));
        }
        return result;
    }

    /**
     * One uniform per open row from its own stream, in row order (finished rows draw nothing, so
     * a row's stream does not depend on when the others stop); null when greedy.
     */
    private static double[] uniforms(List<Row> rows, SplittableRandom[] rng, SamplingSettings s) {
        if (s.greedy()) {
            return null;
        }
        double[] u = new double[rows.size()];
        for (int i = 0; i < u.length; i++) {
            u[i] = rows.get(i).done ? 0 : rng[i].nextDouble();
        }
        return u;
    }

    /** Growing per-row buffers. */
    private static final class Row {
        final int[] tokens;
        final float[] samplerLp;
        final float[] learnerLp;
        int size;
        boolean done;

        Row(int capacity) {
            tokens = new int[capacity];
            samplerLp = new float[capacity];
            learnerLp = new float[capacity];
        }

        void add(int token, double s, double l) {
            tokens[size] = token;
            samplerLp[size] = (float) s;
            learnerLp[size] = (float) l;
            size++;
        }

        Completion toCompletion(int eos) {
            boolean endedWithEos = size > 0 && tokens[size - 1] == eos;
            return new Completion(Arrays.copyOf(tokens, size), Arrays.copyOf(samplerLp, size),
                    Arrays.copyOf(learnerLp, size), !endedWithEos);
        }
    }
}
