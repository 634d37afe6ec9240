package troupe.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * Llama/Qwen2 decoder (Touvron et al. 2023; HF modeling_llama / modeling_qwen2), per block:
 * h = x + o_proj(attn(rope(q), rope(k), v)) on RMSNorm(x); out = h + down(silu(gate(n))·up(n)),
 * n = RMSNorm(h). Grouped-query attention when num_key_value_heads &lt; num_attention_heads;
 * Qwen2 adds q/k/v biases. Logits = RMSNorm(out)·Wᵀ with W = lm_head or the tied embedding.
 *
 * <p>Cost on CPU: a decode step is bound by native-op overhead (~10 µs each), so the forward
 * keeps the op count low: one matmul over q|k|v weights concatenated once and cached until the
 * weights change ({@link DerivedWeights}; the HF-named parameters stay as they are), one split,
 * RoPE on q and k together from per-position tables ({@link Rope}), GQA without repeating K/V
 * ({@link Attention}), kept scalar tensors, and parameter references resolved once.
 */
public final class LlamaLm extends DecoderLm {

    private final Rope rope;
    private final Layer[] layers;
    private final NDArray embed;
    private final NDArray finalNorm;
    private final NDArray lmHead;

    /** One block's parameters (the store's arrays; their identity survives in-place updates). */
    private record Layer(NDArray inputNorm, NDArray q, NDArray k, NDArray v, NDArray qBias, NDArray kBias,
                         NDArray vBias, NDArray o, NDArray postNorm, NDArray gate, NDArray up, NDArray down) {
    }

    public LlamaLm(ModelConfig config, ParameterStore params) {
        super(requireLayout(config, config.type().isLlamaLayout(), "LlamaLm needs llama or qwen2"), params);
        this.rope = new Rope(config.headDim(), config.ropeTheta());
        this.layers = new Layer[config.numLayers()];
        for (int i = 0; i < layers.length; i++) {
            String p = "model.layers." + i + ".";
            String a = p + "self_attn.";
            layers[i] = new Layer(params.get(p + "input_layernorm.weight"), params.get(a + "q_proj.weight"),
                    params.get(a + "k_proj.weight"), params.get(a + "v_proj.weight"), params.find(a + "q_proj.bias"),
                    params.find(a + "k_proj.bias"), params.find(a + "v_proj.bias"), params.get(a + "o_proj.weight"),
                    params.get(p + "post_attention_layernorm.weight"), params.get(p + "mlp.gate_proj.weight"),
                    params.get(p + "mlp.up_proj.weight"), params.get(p + "mlp.down_proj.weight"));
        }
        this.embed = params.get("model.embed_tokens.weight");
        this.finalNorm = params.get("model.norm.weight");
        this.lmHead = config.tieEmbeddings() ? embed : params.get("lm_head.weight");
    }

    @Override
    protected NDArray head() {
        return lmHead;
    }

    @Override
    protected NDArray hidden(NDArray tokens, NDArray positions, NDArray attentionMask, KvCache cache) {
        NDManager m = tokens.getManager();
        int b = (int) tokens.getShape().get(0);
        int t = (int) tokens.getShape().get(1);
        int groups = config.numHeads() / config.numKvHeads();
        NDArray bias = Attention.causalBias(m, attentionMask, t, groups); // [B, 1, T·g, S]
        long[] pos = positions.getDataType() == DataType.INT64 ? positions.toLongArray()
                : positions.toType(DataType.INT64, false).toLongArray();
        NDArray[] cosSin = rope.tables(m, pos, b, t); // [B, T, 1, D] each
        Step step = new Step(m, cosSin[0], cosSin[1], bias, derived.scalar("eps", config.normEps()),
                derived.scalar("scale", 1.0 / Math.sqrt(config.headDim())),
                derived.constant("rotate_half", () -> Rope.rotateHalfMatrix(params.manager(), config.headDim())));
        NDArray x = TensorOps.embedding(tokens, embed); // [B, T, C]
        for (int i = 0; i < layers.length; i++) {
            x = block(i, x, step, cache);
        }
        return TensorOps.rmsNorm(x, finalNorm, step.eps);
    }

    /** Per-forward inputs shared by every block. */
    private record Step(NDManager manager, NDArray cos, NDArray sin, NDArray bias, NDArray eps, NDArray scale,
                        NDArray rotateHalf) {
    }

    private NDArray block(int i, NDArray x, Step step, KvCache cache) {
        Layer l = layers[i];
        NDArray n = TensorOps.rmsNorm(x, l.inputNorm, step.eps);
        x = x.add(attention(i, l, n, step, cache));
        n = TensorOps.rmsNorm(x, l.postNorm, step.eps);
        NDArray gate = TensorOps.silu(TensorOps.linear(n, l.gate, null)); // [B, T, F]
        NDArray up = TensorOps.linear(n, l.up, null); // [B, T, F]
        return x.add(TensorOps.linear(gate.mul(up), l.down, null));
    }

    private NDArray attention(int i, Layer l, NDArray x, Step step, KvCache cache) {
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        int d = config.headDim();
        int h = config.numHeads();
        int kvh = config.numKvHeads();
        NDArray w = derived.get("qkv." + i, step.manager, () -> NDArrays.concat(new NDList(l.q, l.k, l.v)));
        NDArray wb = l.qBias == null ? null
                : derived.get("qkv_bias." + i, step.manager, () -> NDArrays.concat(new NDList(l.qBias, l.kBias, l.vBias)));
        NDList qkv = TensorOps.linear(x, w, wb).split(new long[] {(long) (h + kvh) * d}, 2); // [B,T,(H+Hkv)D], [B,T,Hkv·D]
        NDArray qk = Rope.apply(qkv.get(0).reshape(b, t, h + kvh, d), step.cos, step.sin, step.rotateHalf);
        NDList split = qk.split(new long[] {h}, 2);
        NDArray q = split.get(0); // [B, T, H, D]
        NDArray k = split.get(1).transpose(0, 2, 1, 3); // [B, Hkv, T, D]
        NDArray v = qkv.get(1).reshape(b, t, kvh, d).transpose(0, 2, 1, 3); // [B, Hkv, T, D]
        if (cache != null) {
            NDArray[] kv = cache.append(i, k, v); // [B, Hkv, S, D]
            k = kv[0];
            v = kv[1];
        }
        NDArray y = Attention.attend(q, k, v, step.bias, step.scale); // [B, T, C]
        return TensorOps.linear(y, l.o, null);
    }
}
