package troupe.core.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parameters of a config, under Hugging Face's names and shapes, in a stable order.
 *
 * <p>Linear weights follow torch's {@code [out, in]} (Llama/Qwen2); GPT-2's Conv1D weights are
 * {@code [in, out]} ({@code c_attn} = [C, 3C], {@code c_fc} = [C, 4C], {@code c_proj} = [in, C]).
 * Tied embeddings have no {@code lm_head.weight}. This map is the single source of names for
 * initialisation, loading (shape checks), saving and snapshots.
 */
public final class ParameterLayout {

    private ParameterLayout() {
    }

    /** name → shape, in HF order. */
    public static Map<String, long[]> of(ModelConfig c) {
        return c.type().isLlamaLayout() ? llama(c) : gpt2(c);
    }

    private static Map<String, long[]> llama(ModelConfig c) {
        Map<String, long[]> m = new LinkedHashMap<>();
        long d = c.hiddenSize();
        long kv = (long) c.numKvHeads() * c.headDim();
        long f = c.intermediateSize();
        m.put("model.embed_tokens.weight", new long[] {c.vocabSize(), d});
        for (int i = 0; i < c.numLayers(); i++) {
            String p = "model.layers." + i + ".";
            m.put(p + "input_layernorm.weight", new long[] {d});
            m.put(p + "self_attn.q_proj.weight", new long[] {d, d});
            m.put(p + "self_attn.k_proj.weight", new long[] {kv, d});
            m.put(p + "self_attn.v_proj.weight", new long[] {kv, d});
            if (c.attentionBias()) {
                m.put(p + "self_attn.q_proj.bias", new long[] {d});
                m.put(p + "self_attn.k_proj.bias", new long[] {kv});
                m.put(p + "self_attn.v_proj.bias", new long[] {kv});
            }
            m.put(p + "self_attn.o_proj.weight", new long[] {d, d});
            m.put(p + "post_attention_layernorm.weight", new long[] {d});
            m.put(p + "mlp.gate_proj.weight", new long[] {f, d});
            m.put(p + "mlp.up_proj.weight", new long[] {f, d});
            m.put(p + "mlp.down_proj.weight", new long[] {d, f});
        }
        m.put("model.norm.weight", new long[] {d});
        if (!c.tieEmbeddings()) {
            m.put("lm_head.weight", new long[] {c.vocabSize(), d});
        }
        return m;
    }

    private static Map<String, long[]> gpt2(ModelConfig c) {
        Map<String, long[]> m = new LinkedHashMap<>();
        long d = c.hiddenSize();
        long f = c.intermediateSize();
        m.put("transformer.wte.weight", new long[] {c.vocabSize(), d});
        m.put("transformer.wpe.weight", new long[] {c.maxPositions(), d});
        for (int i = 0; i < c.numLayers(); i++) {
            String p = "transformer.h." + i + ".";
            m.put(p + "ln_1.weight", new long[] {d});
            m.put(p + "ln_1.bias", new long[] {d});
            m.put(p + "attn.c_attn.weight", new long[] {d, 3 * d});
            m.put(p + "attn.c_attn.bias", new long[] {3 * d});
            m.put(p + "attn.c_proj.weight", new long[] {d, d});
            m.put(p + "attn.c_proj.bias", new long[] {d});
            m.put(p + "ln_2.weight", new long[] {d});
            m.put(p + "ln_2.bias", new long[] {d});
            m.put(p + "mlp.c_fc.weight", new long[] {d, f});
            m.put(p + "mlp.c_fc.bias", new long[] {f});
            m.put(p + "mlp.c_proj.weight", new long[] {f, d});
            m.put(p + "mlp.c_proj.bias", new long[] {d});
        }
        m.put("transformer.ln_f.weight", new long[] {d});
        m.put("transformer.ln_f.bias", new long[] {d});
        if (!c.tieEmbeddings()) {
            m.put("lm_head.weight", new long[] {c.vocabSize(), d});
        }
        return m;
    }

    /** How a freshly initialised parameter starts (GPT-2/Llama convention: N(0, 0.02), norms 1, biases 0). */
    public enum Init { NORMAL, ONES, ZEROS }

    /** The init rule for a parameter name. */
    public static Init initOf(String name) {
        if (name.endsWith("norm.weight") || name.contains(".ln_") && name.endsWith(".weight")
                || name.equals("transformer.ln_f.weight")) {
            return Init.ONES;
        }
        return name.endsWith(".bias") ? Init.ZEROS : Init.NORMAL;
    }

    /** Number of scalars in a shape. */
    public static long numel(long[] shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }

    /** "[a, b]" rendering for error messages. */
    public static String render(long[] shape) {
        return java.util.Arrays.toString(shape);
    }
}
