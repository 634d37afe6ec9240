package troupe.core.reward.rm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import troupe.core.model.CausalLm;
import troupe.core.model.CausalLms;
import troupe.core.model.ModelConfig;
import troupe.core.model.ModelFormatException;
import troupe.core.model.ParameterStore;
import troupe.core.checkpoint.AtomicFiles;
import troupe.core.model.hf.HfConfig;
import troupe.core.model.hf.HfFolder;
import troupe.core.model.hf.Safetensors;
import troupe.core.model.hf.TextTokenizer;
import troupe.core.model.hf.TokenizerIo;
import troupe.core.model.ValueHead;

/**
 * A reward model as an HF-style folder: {@code config.json} is the decoder's config with
 * {@code "architectures": ["TroupeRewardModel"]} (the marker) and {@code "troupe_base_architecture"};
 * {@code model.safetensors} holds the decoder's tensors under their HF names plus
 * {@code v_head.weight} [1, C] and {@code v_head.bias} [1]; the tokenizer files as for a policy.
 */
public final class RewardModelFolder {

    /** The {@code architectures} entry that marks a reward-model folder. */
    public static final String ARCHITECTURE = "TroupeRewardModel";

    private RewardModelFolder() {
    }

    public static void save(Path dir, RewardModel rm) throws IOException {
        Files.createDirectories(dir);
        ModelConfig config = rm.lm().config();
        JsonObject json = HfConfig.toJson(config);
        JsonArray arch = new JsonArray();
        arch.add(ARCHITECTURE);
        json.add("architectures", arch);
        json.addProperty("troupe_base_architecture", config.type().architecture());
        String text = new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(json);
        AtomicFiles.write(dir.resolve(HfFolder.CONFIG), out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
        Map<String, Safetensors.Tensor> tensors = new LinkedHashMap<>();
        Map<String, long[]> shapes = rm.lm().parameters().shapes();
        rm.lm().parameters().toHost().forEach((k, v) -> tensors.put(k, new Safetensors.Tensor(shapes.get(k), v)));
        for (Map.Entry<String, NDArray> e : rm.head().arrays().entrySet()) {
            tensors.put(e.getKey(), new Safetensors.Tensor(e.getValue().getShape().getShape(),
                    e.getValue().toFloatArray()));
        }
        AtomicFiles.write(dir.resolve(HfFolder.WEIGHTS), out -> Safetensors.write(out, tensors, Map.of("format", "pt")));
        rm.tokenizer().save(dir);
    }

    /** Loads a folder written by {@link #save}; a folder without the marker fails naming what it found. */
    public static RewardModel load(Path dir, NDManager manager, int maxLength) throws IOException {
        Path configFile = dir.resolve(HfFolder.CONFIG);
        if (!Files.isRegularFile(configFile)) {
            throw new ModelFormatException("missing file " + configFile);
        }
        JsonObject json = JsonParser.parseString(Files.readString(configFile)).getAsJsonObject();
        JsonElement arch = json.get("architectures");
        if (!isMarked(arch)) {
            throw new ModelFormatException(configFile + ": not a reward model (architectures " + arch + ", expected ["
                    + ARCHITECTURE + "]); train one with troupe train-rm");
        }
        ModelConfig config = HfConfig.parse(json, configFile.toString());
        Map<String, Safetensors.Tensor> raw = Safetensors.read(dir.resolve(HfFolder.WEIGHTS)).tensors();
        Map<String, float[]> data = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        raw.forEach((k, t) -> {
            data.put(k, t.data());
            shapes.put(k, t.shape());
        });
        CausalLm lm = CausalLms.of(config, ParameterStore.of(config, data, shapes, manager));
        ValueHead head = new ValueHead(config.hiddenSize(), manager, 0L);
        for (String name : head.arrays().keySet()) {
            Safetensors.Tensor t = raw.get(name);
            if (t == null) {
                lm.close();
                head.close();
                throw new ModelFormatException(dir + ": reward model lacks tensor '" + name + "'");
            }
            NDArray a = head.arrays().get(name);
            a.setRequiresGradient(false); // a loaded head scores; in-place writes to a grad leaf are refused
            a.set(t.data());
        }
        TextTokenizer tok = TokenizerIo.load(dir, config);
        return new RewardModel(lm, head, tok, maxLength);
    }

    private static boolean isMarked(JsonElement arch) {
        if (arch == null || !arch.isJsonArray()) {
            return false;
        }
        for (JsonElement e : arch.getAsJsonArray()) {
            if (e.isJsonPrimitive() && ARCHITECTURE.equals(e.getAsString())) {
                return true;
            }
        }
        return false;
    }
}
