package troupe.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Arrays computed from a {@link ParameterStore}'s weights (a fused q|k|v matrix) and constants
 * (scalars, a rotation matrix) that a model reuses across forwards instead of rebuilding them per
 * call: each rebuild is a native op (~10 µs on CPU), and a decode step at batch 1 is dominated by
 * such per-op overhead, not by arithmetic.
 *
 * <p>Derived arrays are valid for the store {@link ParameterStore#version()} they were built at
 * and rebuilt after any write to the weights. While the store tracks gradients (a learner) they
 * are never cached: each call builds them on the caller's step manager, inside the autograd
 * graph, so gradients reach the HF-named parameters and an optimizer step is never missed.
 * Constants do not depend on the weights and live as long as the store.
 */
public final class DerivedWeights {

    private final ParameterStore store;
    private final NDManager constants;
    private final Map<String, NDArray> constantArrays = new HashMap<>();
    private final Map<String, NDArray> cached = new HashMap<>();
    private NDManager cacheManager;
    private long builtAt = -1;

    public DerivedWeights(ParameterStore store) {
        this.store = store;
        this.constants = store.manager().newSubManager();
    }

    /**
     * The array {@code build} makes from the weights, cached until the weights change; with
     * gradient tracking on, a fresh array owned by {@code step} on every call.
     *
     * @param build reads the store's arrays; its result may belong to any manager (it is moved)
     */
    public synchronized NDArray get(String key, NDManager step, Supplier<NDArray> build) {
        if (store.tracksGradients()) {
            NDArray fresh = build.get();
            fresh.attach(step);
            return fresh;
        }
        long version = store.version();
        if (version != builtAt) {
            if (cacheManager != null) {
                cacheManager.close();
            }
            cacheManager = store.manager().newSubManager();
            cached.clear();
            builtAt = version;
        }
        NDArray a = cached.get(key);
        if (a == null) {
            a = build.get();
            a.attach(cacheManager);
            cached.put(key, a);
        }
        return a;
    }

    /** A constant array (no gradient), built once and kept for the store's lifetime. */
    public synchronized NDArray constant(String key, Supplier<NDArray> build) {
        NDArray a = constantArrays.get(key);
        if (a == null) {
            a = build.get();
            a.attach(constants);
            constantArrays.put(key, a);
        }
        return a;
    }

    /** A float32 scalar constant; safe inside autograd because it is owned and kept alive here. */
    public NDArray scalar(String key, double value) {
        return constant(key, () -> constants.create((float) value));
    }
}
