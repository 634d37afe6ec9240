package troupe.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import java.util.Arrays;
import java.util.SplittableRandom;
import troupe.core.model.CausalLm;
import troupe.core.model.KvCache;

/**
 * The decode section of {@code troupe bench model}, as {@code torch_baseline.py}'s
 * {@code bench_decode}: greedy decoding of {@code newTokens} tokens from one random prompt, with
 * the KV cache (prefill yields token 1, then one-token steps) and with full recompute of the
 * whole sequence per token, medians over {@code reps}. Only the argmax ids reach the host.
 */
final class GreedyDecode {

    /** Tokens and seconds of one cached decode. */
    private record Cached(long[][] tokens, double prefillSeconds, double decodeSeconds) {
    }

    private GreedyDecode() {
    }

    /**
     * One JSON row with the script's keys. {@code staticCache}: the cache reserves prompt + new
     * positions up front (the script's StaticKVCache); otherwise it grows as it fills (the
     * script's "cat", HF's DynamicCache; here by doubling rather than one concat per step).
     */
    static JsonObject bench(CausalLm lm, int batch, int promptLen, int newTokens, int reps, boolean staticCache,
            NDManager root) {
        SplittableRandom r = new SplittableRandom(99);
        long[][] prompt = new long[batch][];
        for (int i = 0; i < batch; i++) {
            prompt[i] = r.longs(promptLen, 0, lm.config().vocabSize()).toArray();
        }
        long[][] warm = Arrays.stream(prompt).map(p -> Arrays.copyOf(p, Math.min(4, promptLen))).toArray(long[][]::new);
        cached(lm, warm, 4, staticCache, root);
        recompute(lm, warm, 4, root);
        double[] pre = new double[reps];
        double[] dec = new double[reps];
        double[] full = new double[reps];
        boolean match = true;
        for (int i = 0; i < reps; i++) {
            Cached c = cached(lm, prompt, newTokens, staticCache, root);
            pre[i] = c.prefillSeconds();
            dec[i] = c.decodeSeconds();
            long t = System.nanoTime();
            long[][] byRecompute = recompute(lm, prompt, newTokens, root);
            full[i] = (System.nanoTime() - t) / 1e9;
            match &= Arrays.deepEquals(c.tokens(), byRecompute);
        }
        double tp = ModelBench.median(pre);
        double td = ModelBench.median(dec);
        double tr = ModelBench.median(full);
        JsonObject j = new JsonObject();
        j.addProperty("batch", batch);
        j.addProperty("prompt_len", promptLen);
        j.addProperty("new_tokens", newTokens);
        j.addProperty("kv_impl", staticCache ? "static" : "cat");
        j.addProperty("reps", reps);
        j.addProperty("kv_steps_per_s", ModelBench.round(newTokens / (tp + td), 2));
        j.addProperty("nocache_steps_per_s", ModelBench.round(newTokens / tr, 2));
        j.addProperty("kv_over_nocache", ModelBench.round(tr / (tp + td), 2));
        if (newTokens > 1) {
            j.addProperty("kv_decode_only_steps_per_s", ModelBench.round((newTokens - 1) / td, 2));
        }
        j.addProperty("kv_prefill_ms", ModelBench.round(1000 * tp, 3));
        j.addProperty("kv_step_ms", ModelBench.round(1000 * td / Math.max(1, newTokens - 1), 3));
        j.addProperty("nocache_step_ms", ModelBench.round(1000 * tr / newTokens, 3));
        j.addProperty("greedy_tokens_match", match);
        return j;
    }

    private static Cached cached(CausalLm lm, long[][] prompt, int newTokens, boolean staticCache, NDManager root) {
        int b = prompt.length;
        int p = prompt[0].length;
        long[][] out = new long[b][newTokens];
        try (NDManager session = root.newSubManager();
             KvCache cache = staticCache ? lm.newCache(session, p + newTokens) : lm.newCache(session)) {
            long t0 = System.nanoTime();
            long[] next = step(lm, flat(prompt), b, 0, p, cache, session);
            long t1 = System.nanoTime();
            for (int i = 0; ; i++) {
                for (int row = 0; row < b; row++) {
                    out[row][i] = next[row];
                }
                if (i == newTokens - 1) {
                    break;
                }
                next = step(lm, next, b, p + i, 1, cache, session);
            }
            return new Cached(out, (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9);
        }
    }

    private static long[][] recompute(CausalLm lm, long[][] prompt, int newTokens, NDManager root) {
        int b = prompt.length;
        int p = prompt[0].length;
        long[][] seq = Arrays.stream(prompt).map(x -> Arrays.copyOf(x, p + newTokens)).toArray(long[][]::new);
        for (int i = 0; i < newTokens; i++) {
            long[] tokens = new long[b * (p + i)];
            for (int row = 0; row < b; row++) {
                System.arraycopy(seq[row], 0, tokens, row * (p + i), p + i);
            }
            long[] next = step(lm, tokens, b, 0, p + i, null, root);
            for (int row = 0; row < b; row++) {
                seq[row][p + i] = next[row];
            }
        }
        return Arrays.stream(seq).map(x -> Arrays.copyOfRange(x, p, p + newTokens)).toArray(long[][]::new);
    }

    /**
     * Forward of {@code t} new tokens per row at positions {@code pos0…}, the lm head on the last
     * column only; returns each row's argmax. Arrays of the step are freed when it returns (the
     * cache keeps its own).
     */
    private static long[] step(CausalLm lm, long[] tokens, int b, int pos0, int t, KvCache cache, NDManager parent) {
        try (NDManager m = parent.newSubManager()) {
            long[] pos = new long[b * t];
            for (int i = 0; i < pos.length; i++) {
                pos[i] = pos0 + i % t;
            }
            NDArray mask = m.ones(new Shape(b, pos0 + t), DataType.FLOAT32);
            NDArray logits = lm.forward(m.create(tokens, new Shape(b, t)), m.create(pos, new Shape(b, t)), mask, cache,
                    t - 1, t).logits();
            return logits.argMax(-1).toLongArray();
        }
    }

    private static long[] flat(long[][] rows) {
        return Arrays.stream(rows).flatMapToLong(Arrays::stream).toArray();
    }
}
