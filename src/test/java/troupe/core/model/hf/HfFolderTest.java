package troupe.core.model.hf;

import troupe.core.checkpoint.AtomicFiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import troupe.core.model.CausalLm;
import troupe.core.model.CausalLms;
import troupe.core.model.ModelConfig;
import troupe.core.model.ModelFormatException;
import troupe.core.model.ModelType;
import troupe.core.model.PaddedBatch;

class HfFolderTest {

    @TempDir
    Path dir;

    static ModelConfig oneLayer(ModelType type, boolean tied) {
        return new ModelConfig(type, 11, 8, 1, 2, type == ModelType.GPT2 ? 2 : 1, 12, 16,
                1e-5, 10000, tied, 0, 1, 2);
    }

    @Test
    void llamaFolderHasExactlyHfNamesAndConfigFields() throws IOException {
        Set<String> names = savedNames(oneLayer(ModelType.LLAMA, false));
        String p = "model.layers.0.";
        assertEquals(new TreeSet<>(List.of("model.embed_tokens.weight", p + "input_layernorm.weight",
                p + "self_attn.q_proj.weight", p + "self_attn.k_proj.weight", p + "self_attn.v_proj.weight",
                p + "self_attn.o_proj.weight", p + "post_attention_layernorm.weight", p + "mlp.gate_proj.weight",
                p + "mlp.up_proj.weight", p + "mlp.down_proj.weight", "model.norm.weight", "lm_head.weight")), names);
        JsonObject cfg = config();
        for (String key : List.of("vocab_size", "hidden_size", "intermediate_size", "num_hidden_layers",
                "num_attention_heads", "num_key_value_heads", "max_position_embeddings", "rms_norm_eps", "rope_theta",
                "tie_word_embeddings", "hidden_act", "bos_token_id", "eos_token_id", "torch_dtype")) {
            assertTrue(cfg.has(key), key);
        }
        assertEquals("llama", cfg.get("model_type").getAsString());
        assertEquals("LlamaForCausalLM", cfg.getAsJsonArray("architectures").get(0).getAsString());
        assertEquals(1, cfg.get("num_key_value_heads").getAsInt());
    }

    @Test
    void qwen2FolderHasQkvBiasesAndNoLmHeadWhenTied() throws IOException {
        Set<String> names = savedNames(oneLayer(ModelType.QWEN2, true));
        assertTrue(names.containsAll(List.of("model.layers.0.self_attn.q_proj.bias", "model.layers.0.self_attn.k_proj.bias",
                "model.layers.0.self_attn.v_proj.bias")));
        assertTrue(!names.contains("lm_head.weight") && !names.contains("model.layers.0.self_attn.o_proj.bias"));
        assertEquals(14, names.size()); // embed + 12 per layer + final norm
        assertEquals("qwen2", config().get("model_type").getAsString());
        assertEquals("Qwen2ForCausalLM", config().getAsJsonArray("architectures").get(0).getAsString());
    }

    @Test
    void gpt2FolderHasConv1dNamesAndShapes() throws IOException {
        Set<String> names = savedNames(oneLayer(ModelType.GPT2, true));
        String p = "transformer.h.0.";
        List<String> expected = new ArrayList<>(List.of("transformer.wte.weight", "transformer.wpe.weight",
                "transformer.ln_f.weight", "transformer.ln_f.bias"));
        for (String s : List.of("ln_1", "attn.c_attn", "attn.c_proj", "ln_2", "mlp.c_fc", "mlp.c_proj")) {
            expected.add(p + s + ".weight");
            expected.add(p + s + ".bias");
        }
        assertEquals(new TreeSet<>(expected), names);
        Safetensors.Contents c = Safetensors.read(dir.resolve(HfFolder.WEIGHTS));
        assertArrayEquals(new long[] {8, 24}, c.tensors().get(p + "attn.c_attn.weight").shape(), "Conv1D is [in, out]");
        assertArrayEquals(new long[] {12, 8}, c.tensors().get(p + "mlp.c_proj.weight").shape());
        JsonObject cfg = config();
        for (String key : List.of("n_embd", "n_layer", "n_head", "n_inner", "n_positions", "layer_norm_epsilon",
                "activation_function", "vocab_size")) {
            assertTrue(cfg.has(key), key);
        }
        assertEquals("GPT2LMHeadModel", cfg.getAsJsonArray("architectures").get(0).getAsString());
    }

    @Test
    void savedFolderReloadsToIdenticalLogitsIncludingShards() throws IOException {
        for (ModelType type : ModelType.values()) {
            ModelConfig cfg = oneLayer(type, type == ModelType.GPT2);
            try (NDManager root = NDManager.newBaseManager(); CausalLm a = CausalLms.random(cfg, root, 3)) {
                Path d = dir.resolve(type.hfName());
                HfFolder.save(d, a, null);
                try (CausalLm b = HfFolder.loadModel(d, root)) {
                    assertArrayEquals(logits(a, root), logits(b, root), type.name());
                }
                shard(d);
                try (CausalLm c = HfFolder.loadModel(d, root)) {
                    assertArrayEquals(logits(a, root), logits(c, root), type.name() + " sharded");
                }
            }
        }
    }

    @Test
    void wrongShapeNamesTensorExpectedAndFound() throws IOException {
        ModelConfig cfg = oneLayer(ModelType.LLAMA, true);
        try (NDManager root = NDManager.newBaseManager(); CausalLm a = CausalLms.random(cfg, root, 3)) {
            HfFolder.save(dir, a, null);
        }
        JsonObject j = config();
        j.addProperty("intermediate_size", 13);
        Files.writeString(dir.resolve(HfFolder.CONFIG), j.toString());
        try (NDManager root = NDManager.newBaseManager()) {
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> HfFolder.loadModel(dir, root));
            assertTrue(e.getMessage().contains("'model.layers.0.mlp.gate_proj.weight'")
                    && e.getMessage().contains("[12, 8]") && e.getMessage().contains("[13, 8]"), e.getMessage());
        }
    }

    @Test
    void unsupportedModelTypeIsNamedWithTheSupportedList() throws IOException {
        Files.writeString(dir.resolve(HfFolder.CONFIG), "{\"model_type\": \"mamba\"}");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> HfFolder.readConfig(dir));
        assertTrue(e.getMessage().contains("'mamba'") && e.getMessage().contains("llama, qwen2, gpt2"), e.getMessage());
    }

    @Test
    void missingFilesAreNamed() throws IOException {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> HfFolder.readConfig(dir));
        assertTrue(e.getMessage().contains("missing file") && e.getMessage().contains("config.json"), e.getMessage());
        Files.writeString(dir.resolve(HfFolder.CONFIG), HfConfig.toJson(oneLayer(ModelType.GPT2, true)).toString());
        try (NDManager root = NDManager.newBaseManager()) {
            e = assertThrows(ModelFormatException.class, () -> HfFolder.loadModel(dir, root));
            assertTrue(e.getMessage().contains("model.safetensors"), e.getMessage());
        }
    }

    private Set<String> savedNames(ModelConfig cfg) throws IOException {
        try (NDManager root = NDManager.newBaseManager(); CausalLm lm = CausalLms.random(cfg, root, 1)) {
            HfFolder.save(dir, lm, new ByteTokenizer());
        }
        assertTrue(Files.isRegularFile(dir.resolve("tokenizer.json")));
        return new TreeSet<>(Safetensors.read(dir.resolve(HfFolder.WEIGHTS)).tensors().keySet());
    }

    private JsonObject config() throws IOException {
        return JsonParser.parseString(Files.readString(dir.resolve(HfFolder.CONFIG))).getAsJsonObject();
    }

    /** Rewrites model.safetensors as two shards plus an index, the way HF's save_pretrained does. */
    private static void shard(Path d) throws IOException {
        Map<String, Safetensors.Tensor> all = Safetensors.read(d.resolve(HfFolder.WEIGHTS)).tensors();
        Map<String, Safetensors.Tensor> first = new LinkedHashMap<>();
        Map<String, Safetensors.Tensor> second = new LinkedHashMap<>();
        JsonObject weightMap = new JsonObject();
        int i = 0;
        for (Map.Entry<String, Safetensors.Tensor> e : all.entrySet()) {
            boolean one = i++ % 2 == 0;
            (one ? first : second).put(e.getKey(), e.getValue());
            weightMap.addProperty(e.getKey(), one ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors");
        }
        AtomicFiles.write(d.resolve("model-00001-of-00002.safetensors"), out -> Safetensors.write(out, first, null));
        AtomicFiles.write(d.resolve("model-00002-of-00002.safetensors"), out -> Safetensors.write(out, second, null));
        JsonObject index = new JsonObject();
        index.add("metadata", new JsonObject());
        index.add("weight_map", weightMap);
        Files.writeString(d.resolve(HfFolder.INDEX), index.toString());
        Files.delete(d.resolve(HfFolder.WEIGHTS));
    }

    private static float[] logits(CausalLm lm, NDManager root) {
        PaddedBatch b = PaddedBatch.of(new int[][] {{1, 5, 7, 3}}, null, 0);
        try (NDManager m = root.newSubManager()) {
            return lm.forward(b.tokens(m), b.positions(m), b.mask(m), null).logits().toFloatArray();
        }
    }
}
