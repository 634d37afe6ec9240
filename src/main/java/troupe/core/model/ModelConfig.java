package troupe.core.model;

/**
 * Architecture of a decoder-only transformer, in the units of HF's config.json.
 *
 * @param type layout and {@code model_type}
 * @param vocabSize V, rows of the token embedding
 * @param hiddenSize C = d_model
 * @param numLayers transformer blocks
 * @param numHeads query heads H; head dim D = C / H
 * @param numKvHeads key/value heads (GQA when &lt; H; H must be a multiple); GPT2 requires H
 * @param intermediateSize MLP width (SwiGLU width for Llama/Qwen2, {@code n_inner} for GPT2)
 * @param maxPositions context length (learned positions for GPT2, informative for RoPE)
 * @param normEps RMSNorm eps ({@code rms_norm_eps}) or LayerNorm eps ({@code layer_norm_epsilon})
 * @param ropeTheta RoPE base ({@code rope_theta}); unused by GPT2
 * @param tieEmbeddings lm_head shares the token embedding ({@code tie_word_embeddings})
 * @param bosTokenId beginning-of-sequence id, or -1
 * @param eosTokenId end-of-sequence id, or -1 (then generation stops only at max tokens)
 * @param padTokenId padding id, or -1 (then padding uses 0; padded positions are masked anyway)
 */
public record ModelConfig(
        ModelType type,
        int vocabSize,
        int hiddenSize,
        int numLayers,
        int numHeads,
        int numKvHeads,
        int intermediateSize,
        int maxPositions,
        double normEps,
        double ropeTheta,
        boolean tieEmbeddings,
        int bosTokenId,
        int eosTokenId,
        int padTokenId) {

    /** Llama/Qwen2 default RMSNorm eps (HF LlamaConfig.rms_norm_eps). */
    public static final double DEFAULT_RMS_EPS = 1e-6;
    /** GPT-2 default LayerNorm eps (HF GPT2Config.layer_norm_epsilon). */
    public static final double DEFAULT_LAYER_NORM_EPS = 1e-5;
    /** Llama default RoPE base (HF LlamaConfig.rope_theta). */
    public static final double DEFAULT_ROPE_THETA = 10000.0;

    public ModelConfig {
        if (type == null) {
            throw new IllegalArgumentException("model type is required");
        }
        positive("vocab_size", vocabSize);
        positive("hidden_size", hiddenSize);
        positive("num_hidden_layers", numLayers);
        positive("num_attention_heads", numHeads);
        positive("num_key_value_heads", numKvHeads);
        positive("intermediate_size", intermediateSize);
        positive("max_position_embeddings", maxPositions);
        if (hiddenSize % numHeads != 0) {
            throw new IllegalArgumentException("hidden_size " + hiddenSize + " not divisible by heads " + numHeads);
        }
        if (numHeads % numKvHeads != 0) {
            throw new IllegalArgumentException("heads " + numHeads + " not a multiple of kv heads " + numKvHeads);
        }
        if (type == ModelType.GPT2 && numKvHeads != numHeads) {
            throw new IllegalArgumentException("gpt2 has no grouped-query attention");
        }
        if (type.isLlamaLayout() && (hiddenSize / numHeads) % 2 != 0) {
            throw new IllegalArgumentException("RoPE needs an even head dim, got " + hiddenSize / numHeads);
        }
        if (!(normEps > 0)) {
            throw new IllegalArgumentException("norm eps must be > 0");
        }
    }

    private static void positive(String name, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, got " + v);
        }
    }

    /** D, the per-head width. */
    public int headDim() {
        return hiddenSize / numHeads;
    }

    /** Qwen2 has biases on q/k/v projections; Llama has none. */
    public boolean attentionBias() {
        return type == ModelType.QWEN2;
    }

    /** The id used to fill padded slots: pad, else eos, else 0 (masked out either way). */
    public int fillTokenId() {
        return padTokenId >= 0 ? padTokenId : Math.max(eosTokenId, 0);
    }

    /**
     * The CPU demo size (~0.9 M parameters): 4 layers, d 128, 4 heads (2 kv heads for Llama/Qwen2
     * so GQA is exercised), MLP width 4·d for GPT2 and 344 ≈ 8/3·d for SwiGLU, context 256.
     */
    public static ModelConfig demo(ModelType type, int vocabSize, int bos, int eos, int pad) {
        return sized(type, vocabSize, 4, 128, 4, 256, bos, eos, pad);
    }

    /**
     * A config of the given depth/width with the defaults above; kv heads = heads/2 (Llama/Qwen2),
     * SwiGLU width round(8/3·d) to a multiple of 8, GPT2 width 4·d.
     */
    public static ModelConfig sized(ModelType type, int vocabSize, int layers, int hidden, int heads, int context,
                                    int bos, int eos, int pad) {
        boolean llama = type.isLlamaLayout();
        int kvHeads = llama && heads % 2 == 0 ? heads / 2 : heads;
        int inner = llama ? ((hidden * 8 / 3 + 7) / 8) * 8 : 4 * hidden;
        return new ModelConfig(type, vocabSize, hidden, layers, heads, kvHeads, inner, context,
                llama ? DEFAULT_RMS_EPS : DEFAULT_LAYER_NORM_EPS, DEFAULT_ROPE_THETA, true, bos, eos, pad);
    }

    public ModelConfig withTieEmbeddings(boolean tie) {
        return new ModelConfig(type, vocabSize, hiddenSize, numLayers, numHeads, numKvHeads, intermediateSize,
                maxPositions, normEps, ropeTheta, tie, bosTokenId, eosTokenId, padTokenId);
    }
}
