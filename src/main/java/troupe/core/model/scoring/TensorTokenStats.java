package troupe.core.model.scoring;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Per-token statistics of the response columns' logits (ALGORITHMS.md §1, §7), computed on the
 * NDArray in native code and in double, so only [B, L] results reach the host:
 *
 * <ul>
 *   <li>log-prob of the chosen token: log_softmax(z/T)[y];
 *   <li>entropy H = −Σ_v p log p;
 *   <li>top-k mass M_k = Σ_{top-k} p (Shi et al., arXiv 2410.11677);
 *   <li>top-k entropy, renormalised: −Σ_{top-k} q log q with q = p / M_k (= partial/M_k + log M_k);
 *   <li>top-k entropy, partial: −Σ_{top-k} p log p.
 * </ul>
 *
 * Memory: rows are processed in chunks of at most {@link #CHUNK_ELEMENTS} logits, each chunk's
 * double temporaries on a sub-manager closed before the next chunk, so no second [B, L, V]
 * tensor exists beside the logits (a whole micro-batch in double was 2× the logits, five times
 * over). The entropy and top-k statistics are computed only on the rows {@link HealthSample}
 * picks; the chosen tokens' log-probs on every row.
 *
 * <p>The logits must be finite (a linear head's are). No gradient is recorded: pass detached
 * logits.
 */
public final class TensorTokenStats {
    /** Logits per chunk (2^22: 32 MB of doubles per temporary; one row at vocab 32k × L 128). */
    static final long CHUNK_ELEMENTS = 1L << 22;

    private TensorTokenStats() {
    }

    /** Entropy and top-k statistics of one row's tokens, aligned with its response. */
    public record RowHealth(float[] entropy, float[] topKMass, float[] topKEntropyRenormalised,
            float[] topKEntropyPartial) {}

    /**
     * All statistics of B ragged responses: log-probs of every row, entropy and top-k of the rows
     * where {@code healthRows} is true (null in the others, {@link TokenScores}).
     *
     * @param logits [B, L, V], the logit at column t predicting response token t
     * @param responses B responses, each at most L tokens
     * @param temperature divides the logits (1 when they are already z/T)
     * @param values [B, L] critic values to hand on per sample, or null
     * @param healthRows [B] rows whose entropy and top-k are computed
     */
    public static List<TokenScores> scores(NDArray logits, int[][] responses, double temperature, int topK,
            float[] values, boolean[] healthRows) {
        return assemble(chosenLogProbs(logits, responses, temperature),
                health(logits, responses, temperature, topK, healthRows), values,
                Math.toIntExact(logits.getShape().get(1)));
    }

    /** Scores from per-row log-probs, per-row health (null rows allowed) and [B, L] values (or null). */
    public static List<TokenScores> assemble(float[][] logprobs, RowHealth[] health, float[] values, int l) {
        List<TokenScores> out = new ArrayList<>(logprobs.length);
        for (int i = 0; i < logprobs.length; i++) {
            int n = logprobs[i].length;
            float[] critic = values == null ? null : Arrays.copyOfRange(values, i * l, i * l + n);
            RowHealth h = health[i];
            out.add(h == null ? new TokenScores(logprobs[i], null, null, null, null, critic)
                    : new TokenScores(logprobs[i], h.entropy(), h.topKMass(), h.topKEntropyRenormalised(),
                            h.topKEntropyPartial(), critic));
        }
        return out;
    }

    /** Only the chosen tokens' log-probs (the reference role's output), as B ragged rows. */
    public static float[][] chosenLogProbs(NDArray logits, int[][] responses, double temperature) {
        int b = responses.length;
        int l = Math.toIntExact(logits.getShape().get(1));
        float[][] out = new float[b][];
        boolean[] all = new boolean[b];
        Arrays.fill(all, true);
        forEachChunk(logits, all, (from, to, z) -> {
            NDArray logp = logProbs(z, temperature);
            float[] flat = logp.gather(targets(z.getManager(), responses, from, to, l), 2)
                    .toType(DataType.FLOAT32, false).toFloatArray(); // [c, L, 1]
            for (int i = from; i < to; i++) {
                out[i] = Arrays.copyOfRange(flat, (i - from) * l, (i - from) * l + responses[i].length);
            }
        });
        return out;
    }

    /**
     * Entropy and top-k statistics of the rows where {@code rows} is true; null for the others.
     * The caller passes detached logits; nothing here records a gradient.
     */
    public static RowHealth[] health(NDArray logits, int[][] responses, double temperature, int topK,
            boolean[] rows) {
        int l = Math.toIntExact(logits.getShape().get(1));
        int v = Math.toIntExact(logits.getShape().get(2));
        RowHealth[] out = new RowHealth[responses.length];
        forEachChunk(logits, rows, (from, to, z) -> {
            NDArray logp = logProbs(z, temperature);
            NDArray entropy = logp.exp().mul(logp).sum(new int[] {-1}).neg();
            NDArray top = logp.topK(Math.min(topK, v), -1, true, true).get(0); // [c, L, k]
            NDArray topP = top.exp();
            NDArray mass = topP.sum(new int[] {-1});
            NDArray partial = topP.mul(top).sum(new int[] {-1}).neg();
            NDArray renormalised = partial.div(mass).add(mass.log());
            float[] all = NDArrays.stack(new NDList(entropy, mass, renormalised, partial))
                    .toType(DataType.FLOAT32, false).toFloatArray(); // [4, c, L]
            int plane = (to - from) * l;
            for (int i = from; i < to; i++) {
                int n = responses[i].length;
                float[][] f = new float[4][];
                for (int k = 0; k < 4; k++) {
                    int at = k * plane + (i - from) * l;
                    f[k] = Arrays.copyOfRange(all, at, at + n);
                }
                out[i] = new RowHealth(f[0], f[1], f[2], f[3]);
            }
        });
        return out;
    }

    /** A chunk of rows [from, to) of the logits, on a manager closed when the call returns. */
    private interface ChunkBody {
        void accept(int from, int to, NDArray logits);
    }

    /** Runs {@code body} over runs of consecutive selected rows, each cut to at most CHUNK_ELEMENTS logits. */
    private static void forEachChunk(NDArray logits, boolean[] rows, ChunkBody body) {
        Shape shape = logits.getShape();
        int perChunk = (int) Math.max(1, CHUNK_ELEMENTS / Math.max(1, shape.get(1) * shape.get(2)));
        int i = 0;
        while (i < rows.length) {
            if (!rows[i]) {
                i++;
                continue;
            }
            int end = i;
            while (end < rows.length && rows[end] && end - i < perChunk) {
                end++;
            }
            try (NDManager m = logits.getManager().newSubManager()) {
                NDArray part = logits.get(i + ":" + end);
                part.attach(m); // every array derived from it belongs to m and is freed here
                body.accept(i, end, part);
            }
            i = end;
        }
    }

    /** log_softmax(z/T) over the vocabulary in double. */
    private static NDArray logProbs(NDArray logits, double temperature) {
        NDArray z = logits.toType(DataType.FLOAT64, false);
        if (temperature != 1) {
            z = z.div(z.getManager().create(temperature));
        }
        return z.logSoftmax(-1);
    }

    /** [c, L, 1] indices of the response tokens of rows [from, to), 0 in padded slots (their results are dropped). */
    private static NDArray targets(NDManager m, int[][] responses, int from, int to, int l) {
        long[] idx = new long[(to - from) * l];
        for (int i = from; i < to; i++) {
            for (int t = 0; t < responses[i].length; t++) {
                idx[(i - from) * l + t] = responses[i][t];
            }
        }
        return m.create(idx, new Shape(to - from, l, 1));
    }
}
