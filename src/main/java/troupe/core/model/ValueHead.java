package troupe.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Scalar value head for PPO-GAE: V = h·wᵀ + b on final hidden states h [B, L, C] → [B, L].
 * Parameters "v_head.weight" [1, C] and "v_head.bias" [1] (TRL's naming without "summary").
 */
public final class ValueHead implements AutoCloseable {

    public static final String WEIGHT = "v_head.weight";
    public static final String BIAS = "v_head.bias";

    private final NDManager manager;
    private final NDArray weight;
    private final NDArray bias;

    public ValueHead(int hidden, NDManager parent, long seed) {
        this.manager = parent.newSubManager();
        SplittableRandom r = new SplittableRandom(seed);
        float[] w = new float[hidden];
        for (int i = 0; i < hidden; i++) {
            w[i] = (float) (r.nextGaussian() * ParameterStore.INIT_STD);
        }
        this.weight = manager.create(w, new Shape(1, hidden));
        this.bias = manager.zeros(new Shape(1));
        weight.setRequiresGradient(true);
        bias.setRequiresGradient(true);
    }

    /** Values [B, L] for hidden states [B, L, C]. */
    public NDArray values(NDArray hidden) {
        return TensorOps.linear(hidden, weight, bias).squeeze(-1);
    }

    /** name → array, for the optimizer and checkpoints. */
    public Map<String, NDArray> arrays() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        out.put(WEIGHT, weight);
        out.put(BIAS, bias);
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
