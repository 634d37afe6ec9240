package troupe.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Causal multi-head attention with a key-padding mask and grouped-query heads.
 *
 * <p>softmax(Q·Kᵀ/√D + bias)·V where bias = 0 for allowed (query, key) pairs and
 * {@link #MASKED} otherwise. A finite large negative, not −∞, so rows of padded queries that see
 * no real key stay finite (their outputs are never read).
 */
public final class Attention {

    /** Additive bias of a masked score; exp(−1e9 − max) underflows to exactly 0 in float32. */
    public static final float MASKED = -1e9f;

    private Attention() {
    }

    /**
     * The [B, 1, T, S] additive bias for T new queries over S = past + T keys: key j is visible to
     * query t iff j ≤ past + t and {@code keyMask[b, j] = 1}.
     *
     * @param keyMask [B, S] 1 for real tokens, 0 for padding (cached and new positions)
     */
    public static NDArray causalBias(NDManager manager, NDArray keyMask, int newTokens) {
        long[] shape = keyMask.getShape().getShape();
        int b = (int) shape[0];
        int s = (int) shape[1];
        int past = s - newTokens;
        float[] mask = keyMask.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
        float[] bias = new float[b * newTokens * s];
        for (int i = 0; i < b; i++) {
            for (int t = 0; t < newTokens; t++) {
                int row = (i * newTokens + t) * s;
                for (int j = 0; j < s; j++) {
                    boolean visible = j <= past + t && mask[i * s + j] > 0f;
                    bias[row + j] = visible ? 0f : MASKED;
                }
            }
        }
        return manager.create(bias, new Shape(b, 1, newTokens, s));
    }

    /**
     * Scaled dot-product attention.
     *
     * @param q [B, H, T, D]
     * @param k [B, Hkv, S, D]; query head h reads kv head h / (H / Hkv) (HF {@code repeat_kv})
     * @param v [B, Hkv, S, D]
     * @param bias [B, 1, T, S]
     * @return [B, H, T, D]
     */
    public static NDArray attend(NDArray q, NDArray k, NDArray v, NDArray bias) {
        long heads = q.getShape().get(1);
        long kvHeads = k.getShape().get(1);
        NDArray kk = repeatKv(k, heads / kvHeads);
        NDArray vv = repeatKv(v, heads / kvHeads);
        NDManager m = q.getManager();
        double scale = 1.0 / Math.sqrt(q.getShape().get(3));
        NDArray scores = q.matMul(kk.transpose(0, 1, 3, 2)).mul(TensorOps.scalar(m, scale)).add(bias); // [B,H,T,S]
        return scores.softmax(-1).matMul(vv); // [B, H, T, D]
    }

    /** [B, Hkv, S, D] → [B, Hkv·g, S, D], each kv head repeated g times consecutively. */
    private static NDArray repeatKv(NDArray x, long g) {
        if (g == 1) {
            return x;
        }
        Shape s = x.getShape();
        return x.expandDims(2).broadcast(new Shape(s.get(0), s.get(1), g, s.get(2), s.get(3)))
                .reshape(s.get(0), s.get(1) * g, s.get(2), s.get(3));
    }
}
