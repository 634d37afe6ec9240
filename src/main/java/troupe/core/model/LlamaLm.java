package troupe.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Llama/Qwen2 decoder (Touvron et al. 2023; HF modeling_llama / modeling_qwen2), per block:
 * h = x + o_proj(attn(rope(q), rope(k), v)) on RMSNorm(x); out = h + down(silu(gate(n))·up(n)),
 * n = RMSNorm(h). Grouped-query attention when num_key_value_heads &lt; num_attention_heads;
 * Qwen2 adds q/k/v biases. Logits = RMSNorm(out)·Wᵀ with W = lm_head or the tied embedding.
 */
public final class LlamaLm implements CausalLm {

    private final ModelConfig config;
    private final ParameterStore params;

    public LlamaLm(ModelConfig config, ParameterStore params) {
        if (!config.type().isLlamaLayout()) {
            throw new IllegalArgumentException("LlamaLm needs llama or qwen2, got " + config.type().hfName());
        }
        this.config = config;
        this.params = params;
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    @Override
    public ParameterStore parameters() {
        return params;
    }

    @Override
    public Output forward(NDArray tokens, NDArray positions, NDArray attentionMask, KvCache cache) {
        NDManager m = tokens.getManager();
        int t = (int) tokens.getShape().get(1);
        NDArray bias = Attention.causalBias(m, attentionMask, t); // [B, 1, T, S]
        Rope rope = Rope.of(m, positions, config.headDim(), config.ropeTheta());
        NDArray x = TensorOps.embedding(tokens, params.get("model.embed_tokens.weight")); // [B, T, C]
        for (int i = 0; i < config.numLayers(); i++) {
            x = block(i, x, rope, bias, cache);
        }
        NDArray hidden = TensorOps.rmsNorm(x, params.get("model.norm.weight"), config.normEps());
        NDArray head = config.tieEmbeddings() ? params.get("model.embed_tokens.weight") : params.get("lm_head.weight");
        return new Output(TensorOps.linear(hidden, head, null), hidden); // [B, T, V]
    }

    private NDArray block(int layer, NDArray x, Rope rope, NDArray bias, KvCache cache) {
        String p = "model.layers." + layer + ".";
        NDArray n = TensorOps.rmsNorm(x, params.get(p + "input_layernorm.weight"), config.normEps());
        x = x.add(attention(p + "self_attn.", layer, n, rope, bias, cache));
        n = TensorOps.rmsNorm(x, params.get(p + "post_attention_layernorm.weight"), config.normEps());
        NDArray gate = TensorOps.silu(TensorOps.linear(n, params.get(p + "mlp.gate_proj.weight"), null)); // [B,T,F]
        NDArray up = TensorOps.linear(n, params.get(p + "mlp.up_proj.weight"), null); // [B, T, F]
        return x.add(TensorOps.linear(gate.mul(up), params.get(p + "mlp.down_proj.weight"), null));
    }

    private NDArray attention(String p, int layer, NDArray x, Rope rope, NDArray bias, KvCache cache) {
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        int d = config.headDim();
        NDArray q = TensorOps.linear(x, params.get(p + "q_proj.weight"), params.find(p + "q_proj.bias"));
        NDArray k = TensorOps.linear(x, params.get(p + "k_proj.weight"), params.find(p + "k_proj.bias"));
        NDArray v = TensorOps.linear(x, params.get(p + "v_proj.weight"), params.find(p + "v_proj.bias"));
        q = rope.apply(q.reshape(b, t, config.numHeads(), d).transpose(0, 2, 1, 3)); // [B, H, T, D]
        k = rope.apply(k.reshape(b, t, config.numKvHeads(), d).transpose(0, 2, 1, 3)); // [B, Hkv, T, D]
        v = v.reshape(b, t, config.numKvHeads(), d).transpose(0, 2, 1, 3); // [B, Hkv, T, D]
        if (cache != null) {
            NDArray[] kv = cache.append(layer, k, v); // [B, Hkv, S, D]
            k = kv[0];
            v = kv[1];
        }
        NDArray y = Attention.attend(q, k, v, bias) // [B, H, T, D]
                .transpose(0, 2, 1, 3).reshape(b, t, config.hiddenSize()); // [B, T, C]
        return TensorOps.linear(y, params.get(p + "o_proj.weight"), null);
    }
}
