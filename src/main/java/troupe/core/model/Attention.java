package troupe.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Causal multi-head attention with a key-padding mask and grouped-query heads.
 *
 * <p>softmax(Q·Kᵀ/√D + bias)·V where bias = 0 for allowed (query, key) pairs and
 * {@link #MASKED} otherwise. A finite large negative, not −∞, so rows of padded queries that see
 * no real key stay finite (their outputs are never read).
 *
 * <p>Grouped-query attention (HF {@code repeat_kv}: query head h reads kv head h / g, g = H/Hkv)
 * is computed without repeating K and V: the g query heads sharing a kv head are folded into the
 * query rows, Q [B, Hkv, T·g, D] against K [B, Hkv, S, D]. That saves copying the cache g times
 * per step and the six ops that did it.
 */
public final class Attention {

    /** Additive bias of a masked score; exp(−1e9 − max) underflows to exactly 0 in float32. */
    public static final float MASKED = -1e9f;

    private Attention() {
    }

    /**
     * The [B, 1, T·g, S] additive bias for T new queries (each repeated for g query heads per kv
     * head, row t·g + i) over S = past + T keys: key j is visible to query t iff j ≤ past + t and
     * {@code keyMask[b, j] = 1}.
     *
     * @param keyMask [B, S] 1 for real tokens, 0 for padding (cached and new positions)
     * @param groups g = query heads per kv head (1 without GQA)
     */
    public static NDArray causalBias(NDManager manager, NDArray keyMask, int newTokens, int groups) {
        long[] shape = keyMask.getShape().getShape();
        int b = (int) shape[0];
        int s = (int) shape[1];
        int past = s - newTokens;
        float[] mask = keyMask.getDataType() == DataType.FLOAT32 ? keyMask.toFloatArray()
                : keyMask.toType(DataType.FLOAT32, false).toFloatArray();
        int rows = newTokens * groups;
        float[] bias = new float[b * rows * s];
        for (int i = 0; i < b; i++) {
            for (int t = 0; t < newTokens; t++) {
                int row = (i * rows + t * groups) * s;
                for (int j = 0; j < s; j++) {
                    boolean visible = j <= past + t && mask[i * s + j] > 0f;
                    bias[row + j] = visible ? 0f : MASKED;
                }
                for (int g = 1; g < groups; g++) {
                    System.arraycopy(bias, row, bias, row + g * s, s);
                }
            }
        }
        return manager.create(bias, new Shape(b, 1, rows, s));
    }

    /**
     * Scaled dot-product attention.
     *
     * @param q [B, T, H, D] (token-major, as projected)
     * @param k [B, Hkv, S, D]; query head h reads kv head h / (H / Hkv) (HF {@code repeat_kv})
     * @param v [B, Hkv, S, D]
     * @param bias [B, 1, T·g, S] from {@link #causalBias} with g = H / Hkv
     * @param scale scalar tensor 1/√D owned by a live manager (autograd-safe)
     * @return [B, T, H·D]
     */
    public static NDArray attend(NDArray q, NDArray k, NDArray v, NDArray bias, NDArray scale) {
        Shape qs = q.getShape();
        long b = qs.get(0);
        long t = qs.get(1);
        long h = qs.get(2);
        long d = qs.get(3);
        long kvh = k.getShape().get(1);
        long g = h / kvh;
        NDArray qq = g == 1 ? q.transpose(0, 2, 1, 3) // [B, H, T, D]
                : q.reshape(b, t, kvh, g, d).transpose(0, 2, 1, 3, 4).reshape(b, kvh, t * g, d); // [B, Hkv, T·g, D]
        NDArray scores = qq.matMul(k.transpose(0, 1, 3, 2)).mul(scale).add(bias); // [B, Hkv, T·g, S]
        NDArray y = scores.softmax(-1).matMul(v); // [B, Hkv, T·g, D]
        NDArray out = g == 1 ? y.transpose(0, 2, 1, 3) // [B, T, H, D]
                : y.reshape(b, kvh, t, g, d).transpose(0, 2, 1, 3, 4); // [B, T, Hkv, g, D]
        return out.reshape(b, t, h * d);
    }
}
