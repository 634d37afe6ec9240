package troupe.core.model.hf;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import troupe.core.model.ModelConfig;
import troupe.core.model.ModelFormatException;
import troupe.core.model.ModelType;
import troupe.core.model.ParameterStore;

/**
 * config.json ↔ {@link ModelConfig}, with the field names and defaults of HF's
 * LlamaConfig, Qwen2Config and GPT2Config. Features Troupe does not implement (rope_scaling,
 * a head_dim other than hidden/heads, sliding windows, another activation) fail by name.
 */
public final class HfConfig {

    private HfConfig() {
    }

    /** Parses a config.json object; {@code source} names the file in errors. */
    public static ModelConfig parse(JsonObject j, String source) {
        if (!j.has("model_type")) {
            throw new ModelFormatException(source + ": no model_type; supported: " + ModelType.supported());
        }
        ModelType type = ModelType.fromHfName(j.get("model_type").getAsString());
        return type.isLlamaLayout() ? parseLlama(type, j, source) : parseGpt2(j, source);
    }

    private static ModelConfig parseLlama(ModelType type, JsonObject j, String source) {
        int hidden = req(j, "hidden_size", source);
        int heads = req(j, "num_attention_heads", source);
        if (present(j, "head_dim") && j.get("head_dim").getAsInt() != hidden / heads) {
            throw new ModelFormatException(source + ": head_dim " + j.get("head_dim") + " != hidden_size/heads is unsupported");
        }
        if (present(j, "rope_scaling")) {
            throw new ModelFormatException(source + ": rope_scaling " + j.get("rope_scaling") + " is unsupported");
        }
        if (type == ModelType.QWEN2 && present(j, "use_sliding_window") && j.get("use_sliding_window").getAsBoolean()) {
            throw new ModelFormatException(source + ": use_sliding_window=true is unsupported");
        }
        String act = str(j, "hidden_act", "silu");
        if (!act.equals("silu")) {
            throw new ModelFormatException(source + ": hidden_act '" + act + "' is unsupported; supported: silu");
        }
        return new ModelConfig(type, req(j, "vocab_size", source), hidden, req(j, "num_hidden_layers", source), heads,
                num(j, "num_key_value_heads", heads), req(j, "intermediate_size", source),
                num(j, "max_position_embeddings", 2048), dbl(j, "rms_norm_eps", ModelConfig.DEFAULT_RMS_EPS),
                dbl(j, "rope_theta", ModelConfig.DEFAULT_ROPE_THETA), bool(j, "tie_word_embeddings", false),
                tokenId(j, "bos_token_id"), tokenId(j, "eos_token_id"), tokenId(j, "pad_token_id"));
    }

    private static ModelConfig parseGpt2(JsonObject j, String source) {
        int hidden = req(j, "n_embd", source);
        String act = str(j, "activation_function", "gelu_new");
        if (!act.equals("gelu_new") && !act.equals("gelu_pytorch_tanh")) {
            throw new ModelFormatException(source + ": activation_function '" + act
                    + "' is unsupported; supported: gelu_new, gelu_pytorch_tanh");
        }
        int heads = req(j, "n_head", source);
        return new ModelConfig(ModelType.GPT2, req(j, "vocab_size", source), hidden, req(j, "n_layer", source), heads,
                heads, num(j, "n_inner", 4 * hidden), req(j, "n_positions", source),
                dbl(j, "layer_norm_epsilon", ModelConfig.DEFAULT_LAYER_NORM_EPS), ModelConfig.DEFAULT_ROPE_THETA,
                bool(j, "tie_word_embeddings", true), tokenId(j, "bos_token_id"), tokenId(j, "eos_token_id"),
                tokenId(j, "pad_token_id"));
    }

    /** The config.json HF writes for this model_type (fp32, no dropout, cache on). */
    public static JsonObject toJson(ModelConfig c) {
        JsonObject j = new JsonObject();
        JsonArray arch = new JsonArray();
        arch.add(c.type().architecture());
        j.add("architectures", arch);
        j.addProperty("model_type", c.type().hfName());
        j.addProperty("vocab_size", c.vocabSize());
        if (c.type().isLlamaLayout()) {
            j.addProperty("hidden_size", c.hiddenSize());
            j.addProperty("intermediate_size", c.intermediateSize());
            j.addProperty("num_hidden_layers", c.numLayers());
            j.addProperty("num_attention_heads", c.numHeads());
            j.addProperty("num_key_value_heads", c.numKvHeads());
            j.addProperty("head_dim", c.headDim());
            j.addProperty("max_position_embeddings", c.maxPositions());
            j.addProperty("rms_norm_eps", c.normEps());
            j.addProperty("rope_theta", c.ropeTheta());
            j.add("rope_scaling", JsonNull.INSTANCE);
            j.addProperty("hidden_act", "silu");
            j.addProperty("attention_dropout", 0.0);
            if (c.type() == ModelType.LLAMA) {
                j.addProperty("attention_bias", false);
                j.addProperty("mlp_bias", false);
            } else {
                j.addProperty("use_sliding_window", false);
                j.addProperty("max_window_layers", c.numLayers());
            }
        } else {
            j.addProperty("n_embd", c.hiddenSize());
            j.addProperty("n_layer", c.numLayers());
            j.addProperty("n_head", c.numHeads());
            j.addProperty("n_inner", c.intermediateSize());
            j.addProperty("n_positions", c.maxPositions());
            j.addProperty("layer_norm_epsilon", c.normEps());
            j.addProperty("activation_function", "gelu_new");
            j.addProperty("resid_pdrop", 0.0);
            j.addProperty("embd_pdrop", 0.0);
            j.addProperty("attn_pdrop", 0.0);
            j.addProperty("scale_attn_weights", true);
        }
        j.addProperty("initializer_range", ParameterStore.INIT_STD);
        j.addProperty("tie_word_embeddings", c.tieEmbeddings());
        putId(j, "bos_token_id", c.bosTokenId());
        putId(j, "eos_token_id", c.eosTokenId());
        putId(j, "pad_token_id", c.padTokenId());
        j.addProperty("use_cache", true);
        j.addProperty("torch_dtype", "float32");
        return j;
    }

    private static void putId(JsonObject j, String key, int id) {
        if (id >= 0) {
            j.addProperty(key, id);
        } else {
            j.add(key, JsonNull.INSTANCE);
        }
    }

    private static boolean present(JsonObject j, String key) {
        return j.has(key) && !j.get(key).isJsonNull();
    }

    private static int req(JsonObject j, String key, String source) {
        if (!present(j, key)) {
            throw new ModelFormatException(source + ": missing required field '" + key + "'");
        }
        return j.get(key).getAsInt();
    }

    private static int num(JsonObject j, String key, int dflt) {
        return present(j, key) ? j.get(key).getAsInt() : dflt;
    }

    private static double dbl(JsonObject j, String key, double dflt) {
        return present(j, key) ? j.get(key).getAsDouble() : dflt;
    }

    private static boolean bool(JsonObject j, String key, boolean dflt) {
        return present(j, key) ? j.get(key).getAsBoolean() : dflt;
    }

    private static String str(JsonObject j, String key, String dflt) {
        return present(j, key) ? j.get(key).getAsString() : dflt;
    }

    /** A token id, or -1 when absent; a list (Llama 3 style eos) contributes its first entry. */
    private static int tokenId(JsonObject j, String key) {
        if (!present(j, key)) {
            return -1;
        }
        JsonElement e = j.get(key);
        return e.isJsonArray() ? e.getAsJsonArray().get(0).getAsInt() : e.getAsInt();
    }
}
