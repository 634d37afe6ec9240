package troupe.core.model;

import ai.djl.ndarray.NDManager;

/** Factory: the {@link CausalLm} implementation for a config's layout. */
public final class CausalLms {

    private CausalLms() {
    }

    /** Wraps existing weights in the model for {@code config}'s layout. */
    public static CausalLm of(ModelConfig config, ParameterStore params) {
        return config.type().isLlamaLayout() ? new LlamaLm(config, params) : new Gpt2Lm(config, params);
    }

    /** A freshly initialised model (see {@link ParameterStore#initialise}). */
    public static CausalLm random(ModelConfig config, NDManager manager, long seed) {
        return of(config, ParameterStore.initialise(config, manager, seed));
    }
}
