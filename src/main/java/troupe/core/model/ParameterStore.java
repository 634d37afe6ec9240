package troupe.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A model's weights: HF name → float32 NDArray, owned by one long-lived {@link NDManager}.
 *
 * <p>Forward passes read these arrays as second operands (see {@link TensorOps}), so their
 * intermediates live on the caller's step manager. In-place updates ({@link #copyFrom},
 * optimizer steps) keep the arrays' identity, so a model never has to be rebuilt.
 */
public final class ParameterStore implements AutoCloseable {

    /** Std of the N(0, σ²) initialisation (HF {@code initializer_range} default). */
    public static final double INIT_STD = 0.02;

    private final NDManager manager;
    private final Map<String, NDArray> arrays = new LinkedHashMap<>();
    private volatile long version;
    private volatile boolean tracksGradients;

    private ParameterStore(NDManager manager) {
        this.manager = manager;
    }

    /** Fresh weights for {@code config}: N(0, {@link #INIT_STD}²), norms 1, biases 0, seeded. */
    public static ParameterStore initialise(ModelConfig config, NDManager parent, long seed) {
        ParameterStore store = new ParameterStore(parent.newSubManager());
        SplittableRandom random = new SplittableRandom(seed);
        for (Map.Entry<String, long[]> e : ParameterLayout.of(config).entrySet()) {
            float[] data = new float[Math.toIntExact(ParameterLayout.numel(e.getValue()))];
            switch (ParameterLayout.initOf(e.getKey())) {
                case ONES -> java.util.Arrays.fill(data, 1f);
                case ZEROS -> { }
                case NORMAL -> {
                    for (int i = 0; i < data.length; i++) {
                        data[i] = (float) (random.nextGaussian() * INIT_STD);
                    }
                }
            }
            store.put(e.getKey(), data, e.getValue());
        }
        return store;
    }

    /** Weights from host arrays; names and shapes must match {@code config} exactly. */
    public static ParameterStore of(ModelConfig config, Map<String, float[]> data, Map<String, long[]> shapes,
                                    NDManager parent) {
        ParameterStore store = new ParameterStore(parent.newSubManager());
        try {
            for (Map.Entry<String, long[]> e : ParameterLayout.of(config).entrySet()) {
                String name = e.getKey();
                float[] values = data.get(name);
                if (values == null) {
                    throw new ModelFormatException("missing tensor '" + name + "' for model_type "
                            + config.type().hfName());
                }
                long[] found = shapes.get(name);
                if (!java.util.Arrays.equals(found, e.getValue())) {
                    throw new ModelFormatException("tensor '" + name + "' has shape " + ParameterLayout.render(found)
                            + ", expected " + ParameterLayout.render(e.getValue()));
                }
                store.put(name, values, e.getValue());
            }
        } catch (RuntimeException ex) {
            store.close();
            throw ex;
        }
        return store;
    }

    private void put(String name, float[] data, long[] shape) {
        NDArray a = manager.create(data, new Shape(shape));
        a.setName(name);
        arrays.put(name, a);
    }

    /** The array named {@code name}; fails naming it when absent. */
    public NDArray get(String name) {
        NDArray a = arrays.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no parameter '" + name + "'");
        }
        return a;
    }

    /** The array or null. */
    public NDArray find(String name) {
        return arrays.get(name);
    }

    public Set<String> names() {
        return Collections.unmodifiableSet(arrays.keySet());
    }

    /** Read-only view in HF order. */
    public Map<String, NDArray> arrays() {
        return Collections.unmodifiableMap(arrays);
    }

    public NDManager manager() {
        return manager;
    }

    /** Total number of scalars. */
    public long numel() {
        return arrays.values().stream().mapToLong(a -> a.getShape().size()).sum();
    }

    /** Turns gradient tracking on for every array (a trainable replica) or off. */
    public void setRequiresGradient(boolean on) {
        arrays.values().forEach(a -> a.setRequiresGradient(on));
        tracksGradients = on;
        markModified();
    }

    /** True after {@code setRequiresGradient(true)}: derived arrays must be rebuilt on every forward. */
    public boolean tracksGradients() {
        return tracksGradients;
    }

    /** Modification counter; caches of derived arrays are valid only for the version they were built at. */
    public long version() {
        return version;
    }

    /** Records an in-place write to any array (call after writing outside {@link #copyInto}). */
    public synchronized void markModified() {
        version++;
    }

    /** Host copies in HF order. */
    public Map<String, float[]> toHost() {
        Map<String, float[]> out = new LinkedHashMap<>();
        arrays.forEach((k, v) -> out.put(k, v.toFloatArray()));
        return out;
    }

    /** Shapes in HF order. */
    public Map<String, long[]> shapes() {
        Map<String, long[]> out = new LinkedHashMap<>();
        arrays.forEach((k, v) -> out.put(k, v.getShape().getShape()));
        return out;
    }

    /** Overwrites one array in place; the length must equal the array's size. */
    public void copyInto(String name, float[] values) {
        NDArray a = get(name);
        if (values.length != a.getShape().size()) {
            throw new ModelFormatException("tensor '" + name + "' has " + values.length + " values, expected "
                    + a.getShape().size() + " for shape " + a.getShape());
        }
        a.set(values);
        markModified();
    }

    @Override
    public void close() {
        manager.close();
    }
}
