package troupe.core.model.hf;

import ai.djl.ndarray.NDManager;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import troupe.core.model.CausalLm;
import troupe.core.model.CausalLms;
import troupe.core.model.ModelConfig;
import troupe.core.model.ModelFormatException;
import troupe.core.model.ParameterLayout;
import troupe.core.model.ParameterStore;

/**
 * A Hugging Face model folder: {@code config.json}, {@code model.safetensors} (or shards listed in
 * {@code model.safetensors.index.json}) and a tokenizer. Folders Troupe writes load in
 * {@code transformers} ({@code AutoModelForCausalLM.from_pretrained(dir)}) and vice versa.
 */
public final class HfFolder {

    public static final String CONFIG = "config.json";
    public static final String WEIGHTS = "model.safetensors";
    public static final String INDEX = "model.safetensors.index.json";

    private HfFolder() {
    }

    /** Reads and validates config.json. */
    public static ModelConfig readConfig(Path dir) throws IOException {
        Path file = dir.resolve(CONFIG);
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException("missing file " + file);
        }
        return parsing(file, () -> HfConfig.parse(JsonParser.parseString(Files.readString(file)).getAsJsonObject(),
                file.toString()));
    }

    /** A JSON file parsed by {@code parse}: what Gson or a getter throws on bad input names the file (found by fuzzing). */
    static <T> T parsing(Path file, java.util.concurrent.Callable<T> parse) throws IOException {
        try {
            return parse.call();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new ModelFormatException(file + ": not valid UTF-8", e);
        } catch (ModelFormatException e) { // e.g. ModelType's "unsupported model_type", which knows no file
            throw e.getMessage().contains(file.toString()) ? e : new ModelFormatException(file + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw e;
        } catch (RuntimeException e) { // JsonParseException, IllegalStateException (wrong JSON type), NumberFormatException, ...
            throw new ModelFormatException(file + ": " + e.getMessage(), e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Loads config and weights into a model whose arrays belong to a child of {@code manager}. */
    public static CausalLm loadModel(Path dir, NDManager manager) throws IOException {
        ModelConfig config = readConfig(dir);
        Map<String, Safetensors.Tensor> raw = readWeights(dir);
        Map<String, float[]> data = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        Map<String, long[]> expected = ParameterLayout.of(config);
        for (Map.Entry<String, Safetensors.Tensor> e : raw.entrySet()) {
            String name = canonicalName(e.getKey(), config);
            if (name == null) {
                continue;
            }
            if (!expected.containsKey(name)) {
                throw new ModelFormatException(dir + ": unexpected tensor '" + e.getKey() + "' for model_type "
                        + config.type().hfName());
            }
            data.put(name, e.getValue().data());
            shapes.put(name, e.getValue().shape());
        }
        return CausalLms.of(config, ParameterStore.of(config, data, shapes, manager));
    }

    /**
     * HF's name for a stored tensor, or null for buffers that carry no weights (GPT-2's
     * {@code attn.bias}/{@code attn.masked_bias}, RoPE {@code inv_freq}, a tied {@code lm_head}).
     * Original GPT-2 checkpoints omit the {@code transformer.} prefix.
     */
    static String canonicalName(String name, ModelConfig config) {
        if (name.endsWith(".attn.bias") || name.endsWith(".attn.masked_bias") || name.endsWith("rotary_emb.inv_freq")) {
            return null;
        }
        if (name.equals("lm_head.weight") && config.tieEmbeddings()) {
            return null;
        }
        if (!config.type().isLlamaLayout() && !name.startsWith("transformer.") && !name.startsWith("lm_head.")) {
            return "transformer." + name;
        }
        return name;
    }

    static Map<String, Safetensors.Tensor> readWeights(Path dir) throws IOException {
        Path single = dir.resolve(WEIGHTS);
        if (Files.isRegularFile(single)) {
            return Safetensors.read(single).tensors();
        }
        Path index = dir.resolve(INDEX);
        if (!Files.isRegularFile(index)) {
            throw new ModelFormatException("missing file " + single + " (and no " + INDEX + ")");
        }
        JsonObject map = parsing(index, () -> {
            JsonObject m = JsonParser.parseString(Files.readString(index)).getAsJsonObject().getAsJsonObject("weight_map");
            if (m == null) {
                throw new ModelFormatException(index + ": no weight_map object");
            }
            return m;
        });
        TreeSet<String> shards = new TreeSet<>();
        for (Map.Entry<String, JsonElement> e : map.entrySet()) {
            shards.add(parsing(index, () -> e.getValue().getAsString()));
        }
        Map<String, Safetensors.Tensor> all = new LinkedHashMap<>();
        for (String shard : shards) {
            Path file = parsing(index, () -> dir.resolve(shard).normalize()); // e.g. a NUL in the name
            if (!dir.normalize().equals(file.getParent())) { // an index may not point outside its folder
                throw new ModelFormatException(index + ": shard '" + shard + "' is not a file in " + dir);
            }
            all.putAll(Safetensors.read(file).tensors());
        }
        for (String name : map.keySet()) {
            if (!all.containsKey(name)) {
                throw new ModelFormatException(index + " lists '" + name + "' but no shard holds it");
            }
        }
        return all;
    }

    /** Writes config.json, model.safetensors (fp32) and, when given, the tokenizer. */
    public static void save(Path dir, CausalLm model, TextTokenizer tokenizer) throws IOException {
        Files.createDirectories(dir);
        String json = new GsonBuilder().setPrettyPrinting().serializeNulls().create()
                .toJson(HfConfig.toJson(model.config()));
        AtomicFiles.write(dir.resolve(CONFIG), out -> out.write(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        Map<String, Safetensors.Tensor> tensors = new LinkedHashMap<>();
        Map<String, float[]> host = model.parameters().toHost();
        Map<String, long[]> shapes = model.parameters().shapes();
        host.forEach((k, v) -> tensors.put(k, new Safetensors.Tensor(shapes.get(k), v)));
        AtomicFiles.write(dir.resolve(WEIGHTS), out -> Safetensors.write(out, tensors, Map.of("format", "pt")));
        if (tokenizer != null) {
            tokenizer.save(dir);
        }
    }
}
