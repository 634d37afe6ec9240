package troupe.core.model.train;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import troupe.core.model.CausalLm;
import troupe.core.model.CausalLms;
import troupe.core.model.ModelConfig;
import troupe.core.model.ModelFormatException;
import troupe.core.model.ParameterStore;
import troupe.core.model.ValueHead;
import troupe.core.checkpoint.AtomicFiles;
import troupe.core.model.hf.HfConfig;
import troupe.core.model.hf.Safetensors;

/**
 * Training checkpoints: one safetensors file holding the model (HF names), the value head
 * ({@code v_head.*}), AdamW's moments ({@code optimizer.exp_avg.*}, {@code optimizer.exp_avg_sq.*})
 * and, in the metadata, config.json, optimizer step and policy version. Written through
 * {@link AtomicFiles}: a crash mid-save leaves the previous checkpoint intact and loadable.
 * A resume restores everything AdamW and the schedule read, so training continues exactly.
 */
public final class Checkpoints {

    static final String FORMAT = "troupe-checkpoint-1";
    private static final String OPT = "optimizer.";

    private Checkpoints() {
    }

    public static void save(TrainablePolicy policy, Path file) throws IOException {
        save(policy, file, UnaryOperator.identity());
    }

    /** As {@link #save(TrainablePolicy, Path)}, with a stream decorator (tests inject crashes). */
    static void save(TrainablePolicy policy, Path file, UnaryOperator<OutputStream> decorate) throws IOException {
        Map<String, Safetensors.Tensor> tensors = new LinkedHashMap<>();
        policy.trainable().forEach((name, a) ->
                tensors.put(name, new Safetensors.Tensor(a.getShape().getShape(), a.toFloatArray())));
        Map<String, long[]> shapes = new LinkedHashMap<>();
        policy.trainable().forEach((name, a) -> shapes.put(name, a.getShape().getShape()));
        policy.optimizer().stateToHost().forEach((key, data) -> {
            String param = key.substring(key.indexOf('.') + 1);
            tensors.put(OPT + key, new Safetensors.Tensor(shapes.get(param), data));
        });
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("config", HfConfig.toJson(policy.model().config()).toString());
        meta.put("optimizer_step", Long.toString(policy.optimizer().stepCount()));
        meta.put("policy_version", Long.toString(policy.version()));
        meta.put("value_head", Boolean.toString(policy.valueHead() != null));
        AtomicFiles.write(file, out -> Safetensors.write(out, tensors, meta), decorate);
    }

    /** Rebuilds a policy (with {@code settings}, which may differ from the saved run's) from a checkpoint. */
    public static TrainablePolicy load(Path file, OptimizerSettings settings, NDManager parent) throws IOException {
        Safetensors.Contents c = Safetensors.read(file);
        if (!FORMAT.equals(c.metadata().get("format"))) {
            throw new ModelFormatException(file + ": not a " + FORMAT + " file");
        }
        ModelConfig config = HfConfig.parse(JsonParser.parseString(c.metadata().get("config")).getAsJsonObject(),
                file + " metadata");
        Map<String, float[]> data = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        Map<String, float[]> optimizer = new LinkedHashMap<>();
        c.tensors().forEach((name, t) -> {
            if (name.startsWith(OPT)) {
                optimizer.put(name.substring(OPT.length()), t.data());
            } else {
                data.put(name, t.data());
                shapes.put(name, t.shape());
            }
        });
        CausalLm model = CausalLms.of(config, ParameterStore.of(config, data, shapes, parent));
        ValueHead head = null;
        if (Boolean.parseBoolean(c.metadata().get("value_head"))) {
            head = new ValueHead(config.hiddenSize(), parent, 0);
            head.arrays().get(ValueHead.WEIGHT).set(data.get(ValueHead.WEIGHT));
            head.arrays().get(ValueHead.BIAS).set(data.get(ValueHead.BIAS));
        }
        TrainablePolicy policy = new TrainablePolicy(model, head, settings, parent);
        policy.optimizer().restore(optimizer, Long.parseLong(c.metadata().get("optimizer_step")));
        policy.restoreVersion(Long.parseLong(c.metadata().get("policy_version")));
        return policy;
    }
}
