package troupe.core.model.hf;

import troupe.core.checkpoint.AtomicFiles;
import ai.djl.ndarray.NDManager;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import troupe.core.checkpoint.AtomicFolder;
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
        return HfConfig.parse(JsonFiles.object(file), file.toString());
    }

    /**
     * Checks a folder before anything is loaded or written: config.json, every tensor's name,
     * dtype, shape and byte range against what the config implies (headers only, no weights read),
     * and the tokenizer files. Throws {@link ModelFormatException} naming the file and what is wrong.
     */
    public static ModelConfig validate(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new ModelFormatException("no model folder at " + dir);
        }
        ModelConfig config = readConfig(dir);
        checkTensors(dir, config, headers(dir));
        TokenizerIo.check(dir);
        return config;
    }

    /** Loads config and weights into a model whose arrays belong to a child of {@code manager}. */
    public static CausalLm loadModel(Path dir, NDManager manager) throws IOException {
        AtomicFolder.recover(dir); // an export a crash interrupted: finished or undone
        ModelConfig config = readConfig(dir);
        Map<Path, Map<String, Safetensors.Entry>> files = headers(dir);
        checkTensors(dir, config, files);
        Map<String, float[]> data = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (Map.Entry<Path, Map<String, Safetensors.Entry>> file : files.entrySet()) {
            for (Map.Entry<String, Safetensors.Tensor> e : Safetensors.read(file.getKey()).tensors().entrySet()) {
                String name = canonicalName(e.getKey(), config);
                if (name != null) {
                    data.put(name, e.getValue().data());
                    shapes.put(name, e.getValue().shape());
                }
            }
        }
        return CausalLms.of(config, ParameterStore.of(config, data, shapes, manager));
    }

    /**
     * Every stored tensor against the config, before any weight is read: an unexpected name, a
     * missing one or a wrong shape fails naming the file and tensor. (Safetensors already checked
     * each dtype and byte range while reading the header.)
     */
    private static void checkTensors(Path dir, ModelConfig config, Map<Path, Map<String, Safetensors.Entry>> files) {
        Map<String, long[]> expected = ParameterLayout.of(config);
        Map<String, Path> seen = new LinkedHashMap<>();
        for (Map.Entry<Path, Map<String, Safetensors.Entry>> file : files.entrySet()) {
            for (Map.Entry<String, Safetensors.Entry> e : file.getValue().entrySet()) {
                String name = canonicalName(e.getKey(), config);
                if (name == null) {
                    continue;
                }
                long[] shape = expected.get(name);
                if (shape == null) {
                    throw new ModelFormatException(file.getKey() + ": unexpected tensor '" + e.getKey()
                            + "' for model_type " + config.type().hfName());
                }
                if (!java.util.Arrays.equals(shape, e.getValue().shape())) {
                    throw new ModelFormatException(file.getKey() + ": tensor '" + e.getKey() + "' has shape "
                            + ParameterLayout.render(e.getValue().shape()) + ", " + CONFIG + " implies "
                            + ParameterLayout.render(shape));
                }
                seen.put(name, file.getKey());
            }
        }
        for (String name : expected.keySet()) {
            if (!seen.containsKey(name)) {
                throw new ModelFormatException(dir.resolve(files.size() == 1 ? WEIGHTS : INDEX) + ": missing tensor '"
                        + name + "' that " + CONFIG + " implies (model_type " + config.type().hfName() + ")");
            }
        }
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

    private static boolean isFileIn(Path base, String name) {
        try {
            return base.equals(base.resolve(name).normalize().getParent());
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    /** The header of model.safetensors, or of each shard the index lists, by file (no weights read). */
    static Map<Path, Map<String, Safetensors.Entry>> headers(Path dir) throws IOException {
        Path single = dir.resolve(WEIGHTS);
        if (Files.isRegularFile(single)) {
            return Map.of(single, Safetensors.header(single));
        }
        Path index = dir.resolve(INDEX);
        if (!Files.isRegularFile(index)) {
            throw new ModelFormatException("missing file " + single + " (and no " + INDEX + ")");
        }
        JsonElement weightMap = JsonFiles.object(index).get("weight_map");
        if (weightMap == null || !weightMap.isJsonObject()) {
            throw new ModelFormatException(index + ": 'weight_map' must be an object of tensor name -> shard file");
        }
        JsonObject map = weightMap.getAsJsonObject();
        Path base = dir.toAbsolutePath().normalize();
        TreeSet<String> shards = new TreeSet<>();
        for (Map.Entry<String, JsonElement> e : map.entrySet()) {
            JsonElement v = e.getValue();
            if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
                throw new ModelFormatException(index + ": weight_map['" + e.getKey() + "'] must be a file name");
            }
            // A shard outside the folder ("../../etc/passwd") or no path at all (a NUL, found by
            // fuzzing) is refused: the index is outside data.
            if (!isFileIn(base, v.getAsString())) {
                throw new ModelFormatException(index + ": weight_map['" + e.getKey() + "'] = '" + v.getAsString()
                        + "' is not a file in the model folder");
            }
            shards.add(v.getAsString());
        }
        Map<Path, Map<String, Safetensors.Entry>> all = new LinkedHashMap<>();
        for (String shard : shards) {
            all.put(dir.resolve(shard), Safetensors.header(dir.resolve(shard)));
        }
        for (String name : map.keySet()) {
            if (all.values().stream().noneMatch(h -> h.containsKey(name))) {
                throw new ModelFormatException(index + " lists '" + name + "' but no shard holds it");
            }
        }
        return all;
    }

    /**
     * Writes config.json, model.safetensors (fp32) and, when given, the tokenizer, as one unit
     * with a manifest ({@link AtomicFolder}): a crash mid-export leaves the previous files.
     */
    public static void save(Path dir, CausalLm model, TextTokenizer tokenizer) throws IOException {
        Map<String, Safetensors.Tensor> tensors = new LinkedHashMap<>();
        Map<String, float[]> host = model.parameters().toHost();
        Map<String, long[]> shapes = model.parameters().shapes();
        host.forEach((k, v) -> tensors.put(k, new Safetensors.Tensor(shapes.get(k), v)));
        write(dir, model.config(), tensors, tokenizer);
    }

    /** As {@link #save}, from weights already on the host (HF names); needs no engine. */
    public static void write(Path dir, ModelConfig config, Map<String, Safetensors.Tensor> tensors,
            TextTokenizer tokenizer) throws IOException {
        String json = new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(HfConfig.toJson(config));
        AtomicFolder.write(dir, staging -> {
            AtomicFiles.write(staging.resolve(CONFIG),
                    out -> out.write(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            AtomicFiles.write(staging.resolve(WEIGHTS), out -> Safetensors.write(out, tensors, Map.of("format", "pt")));
            if (tokenizer != null) {
                tokenizer.save(staging);
            }
        });
    }
}
