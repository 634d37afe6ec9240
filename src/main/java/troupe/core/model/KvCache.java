package troupe.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;

/**
 * Keys and values of the tokens seen so far, per layer: K, V of shape [B, Hkv, S, D].
 *
 * <p>Owns its own {@link NDManager}, so it outlives the per-step scopes of a decoding loop;
 * each {@link #append} frees the previous arrays, keeping native memory at O(B·S) per layer.
 * Appending costs a copy of S rows per step (concatenation); for the context lengths Troupe
 * runs on CPU this is small next to the matmuls.
 */
public final class KvCache implements AutoCloseable {

    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;

    public KvCache(NDManager parent, int numLayers) {
        this.manager = parent.newSubManager();
        this.keys = new NDArray[numLayers];
        this.values = new NDArray[numLayers];
    }

    /** Number of cached positions S (0 before the first forward). */
    public long length() {
        return keys[0] == null ? 0 : keys[0].getShape().get(2);
    }

    /**
     * Appends this step's K, V [B, Hkv, T, D] to layer {@code layer} and returns the full
     * [B, Hkv, S+T, D] pair, owned by the cache (valid until the next append or close).
     */
    public NDArray[] append(int layer, NDArray k, NDArray v) {
        NDArray oldK = keys[layer];
        NDArray oldV = values[layer];
        if (oldK == null) {
            keys[layer] = k.duplicate();
            values[layer] = v.duplicate();
            keys[layer].attach(manager);
            values[layer].attach(manager);
        } else {
            keys[layer] = NDArrays.concat(new ai.djl.ndarray.NDList(oldK, k), 2);
            values[layer] = NDArrays.concat(new ai.djl.ndarray.NDList(oldV, v), 2);
            oldK.close();
            oldV.close();
        }
        return new NDArray[] {keys[layer], values[layer]};
    }

    @Override
    public void close() {
        manager.close();
    }
}
