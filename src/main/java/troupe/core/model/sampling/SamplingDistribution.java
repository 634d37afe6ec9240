package troupe.core.model.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * The distribution a token is actually drawn from, exactly as ALGORITHMS.md §9 (HF
 * {@code generate} order): z/T → top-k (drop z below the k-th largest; ties kept) → softmax →
 * top-p (sort ascending, drop tokens whose cumulative mass ≤ 1 − p, always keep the top token) →
 * renormalise; then the inverse-CDF draw and the log-probs of the chosen tokens.
 *
 * <p>Everything runs on the engine's tensors, [B, V] at a time, so a decode step copies only [B]
 * ids and log-probs to the host instead of [B, V] logits. The maths is in float64 like the host
 * loops it replaced (the behaviour log-prob feeds the PPO ratio), which costs little beside the
 * forward; the one expensive op is top-p's sort of [B, V] (HF sorts too), which
 * {@link TokenChoice} avoids under top-k by working on the k candidates. Arrays are created on
 * the manager of the input; the caller's step scope frees them.
 */
public final class SamplingDistribution {

    private SamplingDistribution() {
    }

    /** q [B, V] float64 from logits [B, V] (float32 or float64). */
    public static NDArray probabilities(NDArray logits, double temperature, int topK, double topP) {
        NDArray z = logits.toType(DataType.FLOAT64, false);
        if (temperature != 1) {
            z = z.div(temperature);
        }
        long vocab = z.getShape().get(1);
        if (topK > 0 && topK < vocab) {
            NDArray kth = z.topK(topK, 1, true, false).get(0).min(new int[] {1}, true); // [B, 1]
            // DJL's where does not broadcast: the −∞ operand is a full [B, V] array.
            NDArray minusInf = z.getManager().full(z.getShape(), Float.NEGATIVE_INFINITY, DataType.FLOAT64);
            z = NDArrays.where(z.lt(kth), minusInf, z);
        }
        NDArray p = z.softmax(1);
        return topP < 1 ? topP(p, topP) : p;
    }

    /**
     * HF's top-p filter on probabilities [B, V] float64, renormalised. In the ascending order a
     * token is dropped iff the cumulative mass up to it is ≤ 1 − p (in float64, so 1 − 0.8 =
     * 0.19999999999999996); the most likely token is always kept. Cumulative mass never decreases,
     * so the dropped positions are a prefix of length n and the kept tokens are those above the
     * n-th smallest value v, plus as many tokens equal to v as the prefix leaves: like a stable
     * sort, the tokens tied at v are dropped lowest index first (one sort of values, no argsort).
     */
    public static NDArray topP(NDArray probs, double topP) {
        NDManager m = probs.getManager();
        long vocab = probs.getShape().get(1);
        NDArray sorted = probs.sort(1); // [B, V] ascending
        NDArray cum = sorted.cumSum(1);
        NDArray dropped = cum.lte(scalar(m, 1 - topP)).sum(new int[] {1}, true).minimum(vocab - 1); // [B, 1]
        NDArray cut = sorted.gather(dropped, 1); // [B, 1] the smallest kept value
        NDArray below = probs.lt(cut);
        NDArray tied = probs.eq(cut);
        NDArray tiesDropped = dropped.sub(below.sum(new int[] {1}, true)); // [B, 1]
        NDArray tieRank = tied.toType(DataType.INT64, false).cumSum(1); // 1-based rank among ties, by index
        NDArray drop = below.logicalOr(tied.logicalAnd(tieRank.lte(tiesDropped)));
        NDArray kept = probs.mul(drop.logicalNot().toType(DataType.FLOAT64, false)); // × 1 or × 0: exact
        return kept.div(kept.sum(new int[] {1}, true));
    }

    /**
     * Inverse-CDF draw, one uniform u ∈ [0, 1) per row ([B, 1] float64): the first token whose
     * cumulative mass (vocabulary order) exceeds u; if rounding leaves u uncovered, the last token
     * with mass. Returns [B] int64. Deterministic given u, so a seeded host stream reproduces runs.
     */
    public static NDArray draw(NDArray probs, NDArray uniforms) {
        NDArray cum = probs.cumSum(1); // [B, V]
        NDArray crossing = cum.lte(uniforms).sum(new int[] {1}); // [B] positions still ≤ u
        NDArray lastWithMass = cum.lt(cum.max(new int[] {1}, true)).sum(new int[] {1}); // [B]
        return crossing.minimum(lastWithMass);
    }

    /**
     * The token ids top-k keeps, ascending per row ([B, k] int64), so that the rest of the pipeline
     * can run on [B, k] instead of [B, V]; null when a tie at the k-th largest logit keeps more than
     * k tokens in some row (the host rule keeps ties), and the caller must use the whole vocabulary.
     * Dividing by T &gt; 0 keeps the order and the ties (float32 gaps survive a float64 division),
     * so the float32 logits decide. Costs one [1] copy to the host.
     */
    public static NDArray topKIds(NDArray logits, int k) {
        NDList top = logits.topK(k, 1, true, false);
        NDArray kth = top.get(0).min(new int[] {1}, true); // [B, 1]
        long widest = logits.gte(kth).sum(new int[] {1}).max().getLong();
        return widest > k ? null : top.get(1).sort(1);
    }

    /** log q[token] per row: probs [B, V], tokens [B] int64 → [B] float64. */
    public static NDArray logOf(NDArray probs, NDArray tokens) {
        return probs.gather(tokens.reshape(-1, 1), 1).log().reshape(-1);
    }

    /** log softmax(z/T)[token] per row with no truncation (the learner's view): [B, V], [B] → [B] float64. */
    public static NDArray logProb(NDArray logits, double temperature, NDArray tokens) {
        NDArray z = logits.toType(DataType.FLOAT64, false);
        if (temperature != 1) {
            z = z.div(temperature);
        }
        return z.logSoftmax(1).gather(tokens.reshape(-1, 1), 1).reshape(-1);
    }

    /** First index of the largest logit per row: [B, V] → [B] int64. */
    public static NDArray argmax(NDArray logits) {
        return logits.argMax(1);
    }

    private static NDArray scalar(NDManager m, double v) {
        return m.create(v); // float64: a float32 threshold would move the top-p boundary
    }
}
