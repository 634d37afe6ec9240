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
        if (!present(j, "model_type")) {
            throw new ModelFormatException(source + ": no model_type; supported: " + ModelType.supported());
        }
        ModelType type;
        try {
            type = ModelType.fromHfName(str(j, "model_type", "", source));
        } catch (ModelFormatException e) {
            throw new ModelFormatException(source + ": " + e.getMessage());
        }
        ModelConfig c;
        try {
            c = type.isLlamaLayout() ? parseLlama(type, j, source) : parseGpt2(j, source);
        } catch (IllegalArgumentException e) {
            // ModelConfig's own checks: sizes > 0, heads dividing hidden_size, kv heads dividing heads.
            throw new ModelFormatException(source + ": " + e.getMessage());
        }
        checkTokenIds(c, source);
        if (!(c.ropeTheta() > 0) || Double.isInfinite(c.ropeTheta()) || Double.isInfinite(c.normEps())) {
            throw new ModelFormatException(source + ": rope_theta and the norm eps must be finite and > 0");
        }
        return c;
    }

    /** A special id outside the vocabulary would fail later as an index error deep in the model. */
    private static void checkTokenIds(ModelConfig c, String source) {
        int[] ids = {c.bosTokenId(), c.eosTokenId(), c.padTokenId()};
        String[] keys = {"bos_token_id", "eos_token_id", "pad_token_id"};
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < -1 || ids[i] >= c.vocabSize()) {
                throw new ModelFormatException(source + ": '" + keys[i] + "' " + ids[i] + " is outside the vocabulary [0, "
                        + c.vocabSize() + ")");
            }
        }
    }

    private static ModelConfig parseLlama(ModelType type, JsonObject j, String source) {
        int hidden = req(j, "hidden_size", source);
        int heads = req(j, "num_attention_heads", source);
        // Only for sizes ModelConfig accepts; otherwise its own message ("must be > 0") is the clearer one.
        if (hidden > 0 && heads > 0 && hidden % heads == 0 && present(j, "head_dim")
                && intValue(j, "head_dim", source) != hidden / heads) {
            throw new ModelFormatException(source + ": head_dim " + j.get("head_dim") + " != hidden_size/heads is unsupported");
        }
        if (present(j, "rope_scaling")) {
            throw new ModelFormatException(source + ": rope_scaling " + j.get("rope_scaling") + " is unsupported");
        }
        if (type == ModelType.QWEN2 && present(j, "use_sliding_window") && bool(j, "use_sliding_window", false, source)) {
            throw new ModelFormatException(source + ": use_sliding_window=true is unsupported");
        }
        String act = str(j, "hidden_act", "silu", source);
        if (!act.equals("silu")) {
            throw new ModelFormatException(source + ": hidden_act '" + act + "' is unsupported; supported: silu");
        }
        return new ModelConfig(type, req(j, "vocab_size", source), hidden, req(j, "num_hidden_layers", source), heads,
                num(j, "num_key_value_heads", heads, source), req(j, "intermediate_size", source),
                num(j, "max_position_embeddings", 2048, source), dbl(j, "rms_norm_eps", ModelConfig.DEFAULT_RMS_EPS, source),
                dbl(j, "rope_theta", ModelConfig.DEFAULT_ROPE_THETA, source), bool(j, "tie_word_embeddings", false, source),
                tokenId(j, "bos_token_id", source), tokenId(j, "eos_token_id", source), tokenId(j, "pad_token_id", source));
    }

    private static ModelConfig parseGpt2(JsonObject j, String source) {
        int hidden = req(j, "n_embd", source);
        String act = str(j, "activation_function", "gelu_new", source);
        if (!act.equals("gelu_new") && !act.equals("gelu_pytorch_tanh")) {
            throw new ModelFormatException(source + ": activation_function '" + act
                    + "' is unsupported; supported: gelu_new, gelu_pytorch_tanh");
        }
        int heads = req(j, "n_head", source);
        return new ModelConfig(ModelType.GPT2, req(j, "vocab_size", source), hidden, req(j, "n_layer", source), heads,
                heads, num(j, "n_inner", 4 * hidden, source), req(j, "n_positions", source),
                dbl(j, "layer_norm_epsilon", ModelConfig.DEFAULT_LAYER_NORM_EPS, source), ModelConfig.DEFAULT_ROPE_THETA,
                bool(j, "tie_word_embeddings", true, source), tokenId(j, "bos_token_id", source), tokenId(j, "eos_token_id", source),
                tokenId(j, "pad_token_id", source));
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
        return intValue(j, key, source);
    }

    private static int num(JsonObject j, String key, int dflt, String source) {
        return present(j, key) ? intValue(j, key, source) : dflt;
    }

    /**
     * An integer in int range; Gson's {@code getAsInt} would silently truncate 1.5 to 1 and wrap
     * 10000000000 to 1410065408, so a wrong size would surface later as a wrong shape.
     */
    private static int intValue(JsonObject j, String key, String source) {
        return intOf(j.get(key), key, source);
    }

    private static int intOf(JsonElement e, String key, String source) {
        try {
            if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
                return e.getAsBigDecimal().intValueExact();
            }
        } catch (ArithmeticException | NumberFormatException ex) {
            // falls through to the message below
        }
        throw new ModelFormatException(source + ": '" + key + "' must be an integer, found " + e);
    }

    private static double dbl(JsonObject j, String key, double dflt, String source) {
        if (!present(j, key)) {
            return dflt;
        }
        JsonElement e = j.get(key);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new ModelFormatException(source + ": '" + key + "' must be a number, found " + e);
        }
        return e.getAsDouble();
    }

    private static boolean bool(JsonObject j, String key, boolean dflt, String source) {
        if (!present(j, key)) {
            return dflt;
        }
        JsonElement e = j.get(key);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw new ModelFormatException(source + ": '" + key + "' must be true or false, found " + e);
        }
        return e.getAsBoolean();
    }

    private static String str(JsonObject j, String key, String dflt, String source) {
        if (!present(j, key)) {
            return dflt;
        }
        JsonElement e = j.get(key);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new ModelFormatException(source + ": '" + key + "' must be a string, found " + e);
        }
        return e.getAsString();
    }

    /** A token id, or -1 when absent; a list (Llama 3 style eos) contributes its first entry. */
    private static int tokenId(JsonObject j, String key, String source) {
        if (!present(j, key)) {
            return -1;
        }
        JsonElement e = j.get(key);
        if (e.isJsonArray()) {
            if (e.getAsJsonArray().isEmpty()) {
                return -1;
            }
            e = e.getAsJsonArray().get(0);
        }
        return intOf(e, key, source);
    }
}
