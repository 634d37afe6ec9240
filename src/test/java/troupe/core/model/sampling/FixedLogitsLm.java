package troupe.core.model.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import troupe.core.model.CausalLm;
import troupe.core.model.KvCache;
import troupe.core.model.ModelConfig;
import troupe.core.model.ModelType;
import troupe.core.model.ParameterStore;

/** Test double: every position gets the same logits, so each sampled token is an i.i.d. draw. */
final class FixedLogitsLm implements CausalLm {

    private final float[] logits;
    private final ModelConfig config;

    FixedLogitsLm(float[] logits, int eos) {
        this.logits = logits;
        this.config = new ModelConfig(ModelType.LLAMA, logits.length, 2, 1, 1, 1, 2, 4096, 1e-6, 10000, true, -1, eos, 0);
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    @Override
    public ParameterStore parameters() {
        throw new UnsupportedOperationException("no parameters");
    }

    @Override
    public Output forward(NDArray tokens, NDArray positions, NDArray attentionMask, KvCache cache) {
        long b = tokens.getShape().get(0);
        long t = tokens.getShape().get(1);
        NDArray z = tokens.getManager().create(logits).broadcast(new Shape(b, t, logits.length));
        return new Output(z, z);
    }

    @Override
    public void close() {
    }
}
