package troupe.core.model;

import ai.djl.ndarray.NDArray;

/**
 * What every decoder here shares: the config, the HF-named parameters with their derived weights,
 * and the lm head over the final hidden states, run on the requested columns only. A subclass
 * gives the blocks ({@link #hidden}) and the head matrix ({@link #head}).
 */
abstract class DecoderLm implements CausalLm {

    protected final ModelConfig config;
    protected final ParameterStore params;
    protected final DerivedWeights derived;

    DecoderLm(ModelConfig config, ParameterStore params) {
        this.config = config;
        this.params = params;
        this.derived = new DerivedWeights(params);
    }

    /** {@code config} if {@code fits}, else an error "{@code need}, got {type}" (checked before any native allocation). */
    static ModelConfig requireLayout(ModelConfig config, boolean fits, String need) {
        if (!fits) {
            throw new IllegalArgumentException(need + ", got " + config.type().hfName());
        }
        return config;
    }

    /** Final hidden states [B, T, C] after the last norm. */
    protected abstract NDArray hidden(NDArray tokens, NDArray positions, NDArray attentionMask, KvCache cache);

    /** The lm head [V, C]: lm_head or the tied embedding. */
    protected abstract NDArray head();

    @Override
    public final ModelConfig config() {
        return config;
    }

    @Override
    public final ParameterStore parameters() {
        return params;
    }

    @Override
    public final Output forward(NDArray tokens, NDArray positions, NDArray attentionMask, KvCache cache) {
        return withLogits(hidden(tokens, positions, attentionMask, cache));
    }

    @Override
    public final Output forward(NDArray tokens, NDArray positions, NDArray attentionMask, KvCache cache, int from,
            int to) {
        return withLogits(hidden(tokens, positions, attentionMask, cache).get(CausalLm.columns(from, to)));
    }

    /** logits = hidden·headᵀ. */
    private Output withLogits(NDArray hidden) {
        return new Output(TensorOps.linear(hidden, head(), null), hidden); // [B, T, V]
    }
}
