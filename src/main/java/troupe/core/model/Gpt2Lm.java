package troupe.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * GPT-2 decoder (Radford et al. 2019; HF modeling_gpt2), per block:
 * h = x + c_proj(attn(split(c_attn(LN₁(x))))); out = h + c_proj(gelu_tanh(c_fc(LN₂(h)))).
 * Input = wte[token] + wpe[position]; logits = LN_f(out)·wteᵀ (tied) or lm_headᵀ.
 * Conv1D weights are [in, out] (y = x·W + b), exactly as HF stores them.
 */
public final class Gpt2Lm extends DecoderLm {

    public Gpt2Lm(ModelConfig config, ParameterStore params) {
        super(requireLayout(config, config.type() == ModelType.GPT2, "Gpt2Lm needs gpt2"), params);
    }

    /** The tied wte or lm_head. */
    @Override
    protected NDArray head() {
        return config.tieEmbeddings() ? params.get("transformer.wte.weight") : params.get("lm_head.weight");
    }

    @Override
    protected NDArray hidden(NDArray tokens, NDArray positions, NDArray attentionMask, KvCache cache) {
        NDManager m = tokens.getManager();
        int t = (int) tokens.getShape().get(1);
        NDArray bias = Attention.causalBias(m, attentionMask, t, 1); // [B, 1, T, S]
        NDArray x = TensorOps.embedding(tokens, params.get("transformer.wte.weight"))
                .add(TensorOps.embedding(positions, params.get("transformer.wpe.weight"))); // [B, T, C]
        for (int i = 0; i < config.numLayers(); i++) {
            x = block(i, x, bias, cache);
        }
        return TensorOps.layerNorm(x, params.get("transformer.ln_f.weight"),
                params.get("transformer.ln_f.bias"), config.normEps());
    }

    private NDArray block(int layer, NDArray x, NDArray bias, KvCache cache) {
        String p = "transformer.h." + layer + ".";
        double eps = config.normEps();
        NDArray n = TensorOps.layerNorm(x, params.get(p + "ln_1.weight"), params.get(p + "ln_1.bias"), eps);
        x = x.add(attention(p + "attn.", layer, n, bias, cache));
        n = TensorOps.layerNorm(x, params.get(p + "ln_2.weight"), params.get(p + "ln_2.bias"), eps);
        NDArray h = TensorOps.geluTanh(TensorOps.conv1d(n, params.get(p + "mlp.c_fc.weight"),
                params.get(p + "mlp.c_fc.bias")), derived.scalar("gelu.a", TensorOps.GELU_SIGMOID_LINEAR),
                derived.scalar("gelu.b", TensorOps.GELU_SIGMOID_CUBIC)); // [B, T, F]
        return x.add(TensorOps.conv1d(h, params.get(p + "mlp.c_proj.weight"), params.get(p + "mlp.c_proj.bias")));
    }

    private NDArray attention(String p, int layer, NDArray x, NDArray bias, KvCache cache) {
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        int c = config.hiddenSize();
        int h = config.numHeads();
        int d = config.headDim();
        NDList qkv = TensorOps.conv1d(x, params.get(p + "c_attn.weight"), params.get(p + "c_attn.bias")) // [B,T,3C]
                .split(new long[] {c, 2L * c}, 2);
        NDArray q = qkv.get(0).reshape(b, t, h, d); // [B, T, H, D]
        NDArray k = qkv.get(1).reshape(b, t, h, d).transpose(0, 2, 1, 3); // [B, H, T, D]
        NDArray v = qkv.get(2).reshape(b, t, h, d).transpose(0, 2, 1, 3);
        if (cache != null) {
            NDArray[] kv = cache.append(layer, k, v); // [B, H, S, D]
            k = kv[0];
            v = kv[1];
        }
        NDArray y = Attention.attend(q, k, v, bias, derived.scalar("scale", 1.0 / Math.sqrt(d))); // [B, T, C]
        return TensorOps.conv1d(y, params.get(p + "c_proj.weight"), params.get(p + "c_proj.bias"));
    }
}
