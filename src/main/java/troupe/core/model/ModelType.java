package troupe.core.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The decoder layouts Troupe implements, named by Hugging Face's {@code model_type}.
 *
 * <p>LLAMA and QWEN2 share one layout (RMSNorm, RoPE, SwiGLU, grouped-query attention); QWEN2
 * adds biases on the q/k/v projections. GPT2 uses learned positions, LayerNorm, tanh-GELU and
 * a fused {@code c_attn} stored in HF's Conv1D {@code [in, out]} orientation.
 */
public enum ModelType {
    LLAMA("llama", "LlamaForCausalLM"),
    QWEN2("qwen2", "Qwen2ForCausalLM"),
    GPT2("gpt2", "GPT2LMHeadModel");

    private final String hfName;
    private final String architecture;

    ModelType(String hfName, String architecture) {
        this.hfName = hfName;
        this.architecture = architecture;
    }

    /** The {@code model_type} string of config.json. */
    public String hfName() {
        return hfName;
    }

    /** The {@code architectures[0]} entry HF writes for a causal-LM head. */
    public String architecture() {
        return architecture;
    }

    /** True for the Llama/Qwen2 layout (RMSNorm + RoPE + SwiGLU). */
    public boolean isLlamaLayout() {
        return this != GPT2;
    }

    /** Looks up a {@code model_type}; an unknown one fails naming it and listing the supported ones. */
    public static ModelType fromHfName(String name) {
        for (ModelType t : values()) {
            if (t.hfName.equals(name)) {
                return t;
            }
        }
        throw new ModelFormatException("unsupported model_type '" + name + "'; supported: " + supported());
    }

    /** Comma-separated list of supported {@code model_type} names. */
    public static String supported() {
        return Arrays.stream(values()).map(ModelType::hfName).collect(Collectors.joining(", "));
    }
}
