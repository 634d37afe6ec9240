package troupe.core.reward.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import troupe.core.config.SettingsException;
import troupe.core.model.CausalLm;
import troupe.core.model.CausalLms;
import troupe.core.model.ModelConfig;
import troupe.core.model.ModelType;
import troupe.core.model.hf.ByteTokenizer;
import troupe.core.model.hf.HfFolder;
import troupe.core.model.hf.Safetensors;
import troupe.core.reward.Direction;
import troupe.core.reward.ExplainedScorer.Explained;
import troupe.core.reward.RewardScorer;
import troupe.core.reward.ScoreInput;
import troupe.core.reward.ScorerRegistry;

/** The LLM judge on tiny byte-level models written as HF folders. */
class LlmJudgeScorerTest {

    @TempDir
    static Path tmp;
    static Path random;
    static Path sevens;
    static Path letters;

    private static final ScorerRegistry REGISTRY = ScorerRegistry.fromClasspath();

    @BeforeAll
    static void folders() throws IOException {
        random = tmp.resolve("random");
        ModelConfig c = ModelConfig.sized(ModelType.LLAMA, ByteTokenizer.VOCAB, 2, 32, 4, 64, ByteTokenizer.BOS,
                ByteTokenizer.EOS, ByteTokenizer.PAD);
        try (NDManager m = NDManager.newBaseManager(); CausalLm lm = CausalLms.random(c, m, 7L)) {
            HfFolder.save(random, lm, new ByteTokenizer());
        }
        sevens = forced(tmp.resolve("sevens"), '7');
        letters = forced(tmp.resolve("letters"), 'x');
    }

    /**
     * A GPT-2 whose output ignores its input: final LayerNorm weight 0 and bias e₀ make every
     * hidden state e₀, so the logits are column 0 of the (tied) embedding — 1 for {@code token}, 0
     * elsewhere — and greedy decoding emits {@code token} forever.
     */
    static Path forced(Path dir, char token) throws IOException {
        ModelConfig c = ModelConfig.sized(ModelType.GPT2, ByteTokenizer.VOCAB, 1, 16, 2, 64, ByteTokenizer.BOS,
                ByteTokenizer.EOS, ByteTokenizer.PAD);
        Map<String, Safetensors.Tensor> tensors = new LinkedHashMap<>();
        try (NDManager m = NDManager.newBaseManager(); CausalLm lm = CausalLms.random(c, m, 3L)) {
            Map<String, long[]> shapes = lm.parameters().shapes();
            lm.parameters().toHost().forEach((k, v) -> tensors.put(k, new Safetensors.Tensor(shapes.get(k), v)));
        }
        float[] w = tensors.get("transformer.ln_f.weight").data();
        Arrays.fill(w, 0f);
        float[] b = tensors.get("transformer.ln_f.bias").data();
        Arrays.fill(b, 0f);
        b[0] = 1f;
        float[] wte = tensors.get("transformer.wte.weight").data();
        for (int v = 0; v < ByteTokenizer.VOCAB; v++) {
            wte[v * 16] = v == token ? 1f : 0f;
        }
        HfFolder.write(dir, c, tensors, new ByteTokenizer());
        return dir;
    }

    static ScoreInput sample(String prompt, String response, Map<String, String> metadata) {
        return new ScoreInput(prompt, response, new int[] {1}, new int[] {2}, "", metadata, false);
    }

    static LlmJudgeScorer judge(Path model, String settings) {
        Config c = ConfigFactory.parseString(settings).withFallback(ConfigFactory.parseMap(Map.of(
                "model", model.toString(), "yes", "Y", "no", "N")));
        return (LlmJudgeScorer) REGISTRY.create("llm-judge", c);
    }

    static final List<ScoreInput> SAMPLES = List.of(
            sample("2+2", "4", Map.of()),
            sample("name a colour", "a long answer: blue, or maybe green", Map.of()),
            sample("reverse abc", "cba", Map.of()),
            sample("", "nothing asked", Map.of()),
            sample("capital of France?", "Paris", Map.of()));

    /** P(Y)/(P(Y)+P(N)) from a full softmax of the last logits of one unpadded forward. */
    static double expectedVerdict(CausalLm lm, String text, int maxLength) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        long[] ids = new long[bytes.length + 1];
        ids[0] = ByteTokenizer.BOS;
        for (int i = 0; i < bytes.length; i++) {
            ids[i + 1] = bytes[i] & 0xff;
        }
        if (ids.length > maxLength) {
            ids = Arrays.copyOfRange(ids, ids.length - maxLength, ids.length);
        }
        int t = ids.length;
        long[] pos = new long[t];
        float[] mask = new float[t];
        for (int i = 0; i < t; i++) {
            pos[i] = i;
            mask[i] = 1f;
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = lm.forward(m.create(ids, new Shape(1, t)), m.create(pos, new Shape(1, t)),
                    m.create(mask, new Shape(1, t)), null).logits();
            float[] last = logits.get("0, " + (t - 1) + ", :").toFloatArray();
            double max = Double.NEGATIVE_INFINITY;
            for (float z : last) {
                max = Math.max(max, z);
            }
            double sum = 0;
            for (float z : last) {
                sum += Math.exp(z - max);
            }
            double yes = Math.exp(last['Y'] - max) / sum;
            double no = Math.exp(last['N'] - max) / sum;
            return yes / (yes + no);
        }
    }

    static String rendered(ScoreInput s) {
        return "Q: " + s.promptText() + "\nA: " + s.responseText() + "\nOK?";
    }

    static final String TEMPLATE = "template = \"Q: {prompt}\\nA: {response}\\nOK?\"";

    @Test
    void verdictIsTheJudgesOwnNextTokenProbabilityOfYesAgainstNo() throws IOException {
        try (LlmJudgeScorer j = judge(random, TEMPLATE + "\nbatch-size = 2");
             NDManager m = NDManager.newBaseManager(); CausalLm lm = HfFolder.loadModel(random, m)) {
            assertEquals(Direction.MAXIMIZE, j.objective().direction());
            assertEquals("judge", j.objective().name());
            List<Explained> got = j.explain(SAMPLES);
            for (int i = 0; i < SAMPLES.size(); i++) {
                double p = expectedVerdict(lm, rendered(SAMPLES.get(i)), Integer.MAX_VALUE);
                assertEquals(p, got.get(i).score(), 1e-5, "sample " + i);
                assertEquals(String.format(java.util.Locale.ROOT, "p(yes)=%.2f", p), got.get(i).outcome());
            }
        }
    }

    @Test
    void batchesScoreAsOneByOne() {
        try (LlmJudgeScorer whole = judge(random, TEMPLATE + "\nbatch-size = 4");
             LlmJudgeScorer single = judge(random, TEMPLATE + "\nbatch-size = 1")) {
            float[] a = whole.score(SAMPLES);
            float[] b = single.score(SAMPLES);
            for (int i = 0; i < a.length; i++) {
                assertEquals(b[i], a[i], 1e-5, "sample " + i);
            }
            assertTrue(a[0] != a[1], "distinct samples score differently: " + Arrays.toString(a));
        }
    }

    @Test
    void longPromptsKeepTheirLastMaxLengthTokens() throws IOException {
        try (LlmJudgeScorer j = judge(random, TEMPLATE + "\nmax-length = 9");
             NDManager m = NDManager.newBaseManager(); CausalLm lm = HfFolder.loadModel(random, m)) {
            ScoreInput s = SAMPLES.get(1);
            assertEquals(expectedVerdict(lm, rendered(s), 9), j.score(List.of(s))[0], 1e-5);
            assertEquals(9, j.encode(rendered(s)).length);
        }
    }

    @Test
    void aSampleWithoutAFieldTheTemplateNamesScoresZeroWithItsName() throws IOException {
        String t = "template = \"Reference: {answer}\\nA: {response}\\nOK?\"";
        try (LlmJudgeScorer j = judge(random, t);
             NDManager m = NDManager.newBaseManager(); CausalLm lm = HfFolder.loadModel(random, m)) {
            List<Explained> got = j.explain(List.of(sample("q", "4", Map.of()),
                    sample("q", "4", Map.of("answer", "4"))));
            assertEquals(new Explained(0f, "missing field answer"), got.get(0));
            assertEquals(expectedVerdict(lm, "Reference: 4\nA: 4\nOK?", 1024), got.get(1).score(), 1e-5);
        }
    }

    @Test
    void numberModeParsesTheGreedyOutput() {
        try (LlmJudgeScorer j = judge(sevens, "mode = number\nmax-new-tokens = 2\nmax-score = 100");
             LlmJudgeScorer capped = judge(sevens, "mode = number\nmax-new-tokens = 2\nmax-score = 10");
             LlmJudgeScorer words = judge(letters, "mode = number\nmax-new-tokens = 3")) {
            List<Explained> got = j.explain(List.of(sample("rate", "fine", Map.of()), sample("rate this please",
                    "x", Map.of())));
            assertEquals(List.of(new Explained(0.77f, "77/100"), new Explained(0.77f, "77/100")), got);
            assertEquals(new Explained(1f, "77/10"), capped.explain(List.of(SAMPLES.get(0))).get(0));
            assertEquals(new Explained(0f, "no number"), words.explain(List.of(SAMPLES.get(0))).get(0));
        }
    }

    @Test
    void theFirstNumberIsParsedAndClamped() {
        assertEquals(new Explained(0.8f, "8/10"), LlmJudgeScorer.numberScore("Score: 8/10", 10));
        assertEquals(new Explained(0.75f, "7.5/10"), LlmJudgeScorer.numberScore(" 7.5 points", 10));
        assertEquals(new Explained(0f, "-3/10"), LlmJudgeScorer.numberScore("-3", 10));
        assertEquals(new Explained(1f, "12/10"), LlmJudgeScorer.numberScore("12", 10));
        assertEquals(new Explained(0f, "no number"), LlmJudgeScorer.numberScore("ten", 10));
    }

    @Test
    void badSettingsNameTheirKey() throws IOException {
        SettingsException noModel = assertThrows(SettingsException.class,
                () -> REGISTRY.create("llm-judge", ConfigFactory.empty()));
        assertEquals("scorer 'llm-judge'.model", noModel.key());
        SettingsException noFolder = assertThrows(SettingsException.class,
                () -> judge(tmp.resolve("absent"), ""));
        assertTrue(noFolder.getMessage().contains("no model folder at"), noFolder.getMessage());
        SettingsException yes = assertThrows(SettingsException.class, () -> judge(random, "yes = yes"));
        assertEquals("scorer 'llm-judge'.yes", yes.key());
        assertTrue(yes.getMessage().contains("3 tokens"), yes.getMessage());
        SettingsException unknown = assertThrows(SettingsException.class, () -> judge(random, "temprature = 1"));
        assertTrue(unknown.getMessage().contains("temprature"), unknown.getMessage());
        SettingsException noResponse = assertThrows(SettingsException.class,
                () -> judge(random, "template = \"{prompt} ok?\""));
        assertEquals("scorer 'llm-judge'.template", noResponse.key());
        SettingsException mode = assertThrows(SettingsException.class, () -> judge(random, "mode = vote"));
        assertEquals("scorer 'llm-judge'.mode", mode.key());
        SettingsException file = assertThrows(SettingsException.class,
                () -> judge(random, "template-file = \"" + tmp.resolve("none.txt") + "\""));
        assertEquals("scorer 'llm-judge'.template-file", file.key());
    }

    @Test
    void aTemplateFileReplacesTheTemplate() throws IOException {
        Path f = Files.writeString(tmp.resolve("judge.txt"), "Q: {prompt}\nA: {response}\nOK?");
        try (LlmJudgeScorer fromFile = judge(random, "template-file = \"" + f + "\"");
             LlmJudgeScorer inline = judge(random, TEMPLATE)) {
            RewardScorer s = fromFile;
            assertInstanceOf(LlmJudgeScorer.class, s);
            assertEquals(inline.score(SAMPLES)[2], fromFile.score(SAMPLES)[2], 0f);
        }
    }
}
