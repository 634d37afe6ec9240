package troupe.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Keys and values of the tokens seen so far, per layer: K, V of shape [B, Hkv, S, D].
 *
 * <p>Owns its own {@link NDManager}, so it outlives the per-step scopes of a decoding loop.
 * Each layer keeps a buffer [B, Hkv, capacity, D]; {@link #append} writes the new rows in place
 * and returns views of the first S rows, so a step copies only its own T rows instead of all S
 * (concatenation cost O(B·S) per step: at batch 64 and S = 256 that was ~4 MB per layer-step).
 * A full buffer grows by doubling. Under autograd (inputs that require gradients) it falls back to
 * concatenation, because in-place writes into a tensor the graph has read break backward.
 */
public final class KvCache implements AutoCloseable {

    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;
    private final long[] lengths;
    private final int capacityHint;

    public KvCache(NDManager parent, int numLayers) {
        this(parent, numLayers, 0);
    }

    /** @param capacityHint positions to reserve on the first append (e.g. prompt + max new tokens); 0 = grow */
    public KvCache(NDManager parent, int numLayers, int capacityHint) {
        this.manager = parent.newSubManager();
        this.keys = new NDArray[numLayers];
        this.values = new NDArray[numLayers];
        this.lengths = new long[numLayers];
        this.capacityHint = capacityHint;
    }

    /** Number of cached positions S (0 before the first forward). */
    public long length() {
        return lengths[0];
    }

    /**
     * Appends this step's K, V [B, Hkv, T, D] to layer {@code layer} and returns the full
     * [B, Hkv, S+T, D] pair: views owned by {@code k}'s manager, valid until the next append to
     * this layer or close (the rows behind them stay put; later appends only write after them).
     */
    public NDArray[] append(int layer, NDArray k, NDArray v) {
        long t = k.getShape().get(2);
        long s = lengths[layer];
        long end = s + t;
        if (k.hasGradient() || v.hasGradient()) {
            return appendByConcat(layer, k, v, end);
        }
        if (keys[layer] == null || end > keys[layer].getShape().get(2)) {
            grow(layer, k.getShape(), Math.max(end, Math.max(capacityHint, 2 * s)));
        }
        NDIndex rows = new NDIndex().addAllDim(2).addSliceDim(s, end);
        keys[layer].set(rows, k);
        values[layer].set(rows, v);
        lengths[layer] = end;
        NDIndex prefix = new NDIndex().addAllDim(2).addSliceDim(0, end);
        NDArray kv = keys[layer].get(prefix);
        NDArray vv = values[layer].get(prefix);
        kv.attach(k.getManager());
        vv.attach(k.getManager());
        return new NDArray[] {kv, vv};
    }

    private void grow(int layer, Shape rowShape, long capacity) {
        Shape shape = new Shape(rowShape.get(0), rowShape.get(1), capacity, rowShape.get(3));
        NDArray newK = manager.zeros(shape);
        NDArray newV = manager.zeros(shape);
        long s = lengths[layer];
        if (keys[layer] != null) {
            if (s > 0) {
                NDIndex old = new NDIndex().addAllDim(2).addSliceDim(0, s);
                try (NDArray ok = keys[layer].get(old); NDArray ov = values[layer].get(old)) {
                    newK.set(old, ok);
                    newV.set(old, ov);
                }
            }
            keys[layer].close();
            values[layer].close();
        }
        keys[layer] = newK;
        values[layer] = newV;
    }

    private NDArray[] appendByConcat(int layer, NDArray k, NDArray v, long end) {
        NDArray oldK = keys[layer];
        NDArray oldV = values[layer];
        long s = lengths[layer];
        if (oldK == null || s == 0) {
            keys[layer] = k.duplicate();
            values[layer] = v.duplicate();
        } else {
            NDIndex prefix = new NDIndex().addAllDim(2).addSliceDim(0, s);
            boolean exact = oldK.getShape().get(2) == s; // else a buffer from earlier no-grad appends
            keys[layer] = NDArrays.concat(new NDList(exact ? oldK : oldK.get(prefix), k), 2);
            values[layer] = NDArrays.concat(new NDList(exact ? oldV : oldV.get(prefix), v), 2);
        }
        keys[layer].attach(manager);
        values[layer].attach(manager);
        if (oldK != null) {
            oldK.close();
            oldV.close();
        }
        lengths[layer] = end;
        return new NDArray[] {keys[layer], values[layer]};
    }

    @Override
    public void close() {
        manager.close();
    }
}
