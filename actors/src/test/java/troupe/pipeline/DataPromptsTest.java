package troupe.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import troupe.config.TroupeConfig;
import troupe.config.TroupeSettings;
import troupe.core.config.SettingsException;
import troupe.core.engine.Prompt;
import troupe.core.model.ModelConfig;
import troupe.core.model.ModelType;
import troupe.core.model.hf.ByteTokenizer;
import troupe.core.prompts.PromptDataException;

/** The prompts of a run on a file, from its keys: which lines train, which are held out, how they render. */
class DataPromptsTest {
    private static final ModelConfig MODEL = ModelConfig.sized(ModelType.LLAMA, ByteTokenizer.VOCAB, 1, 16, 2, 64,
            ByteTokenizer.BOS, ByteTokenizer.EOS, ByteTokenizer.PAD);

    @TempDir
    Path dir;

    private Path lines(String name, int n) throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < n; i++) {
            text.append("{\"prompt\": \"").append(name).append(i).append("\", \"answer\": ").append(i).append("}\n");
        }
        return Files.writeString(dir.resolve(name + ".jsonl"), text);
    }

    private DataPrompts load(String keys) throws IOException {
        TroupeSettings s = TroupeSettings.fromConfig(ConfigFactory.parseString(keys)
                .withFallback(TroupeConfig.reference()).resolve());
        return DataPrompts.load(s, dir, new ByteTokenizer(), MODEL);
    }

    private static List<String> texts(List<Prompt> prompts) {
        return prompts.stream().map(Prompt::text).toList();
    }

    @Test
    void anEvalFileIsHeldOutWholeUpToHeldoutPromptsAndTheTrainingFileTrainsWhole() throws IOException {
        Path train = lines("t", 5);
        Path eval = lines("e", 4);
        DataPrompts d = load("troupe.run { data = \"" + train + "\", eval-data = \"" + eval
                + "\", heldout-prompts = 3 }");
        assertEquals(5, d.pool().length);
        assertEquals(List.of("e0", "e1", "e2"), texts(d.eval()));
        assertEquals(Map.of("answer", "1"), d.eval().get(1).metadata());
        assertEquals("t0", d.firstPrompt());
        assertEquals("no chat template", d.format());
    }

    @Test
    void withoutAnEvalFileTheSeedHoldsOutAFractionNeverTrainedOn() throws IOException {
        Path train = lines("t", 20);
        DataPrompts d = load("troupe.run { data = \"" + train + "\", eval-fraction = 0.25, seed = 4 }");
        assertEquals(15, d.pool().length);
        assertEquals(5, d.eval().size());
        List<String> trained = texts(d.train().prompts(d.pool(), d.renderer()));
        for (String held : texts(d.eval())) {
            assertEquals(false, trained.contains(held), held);
        }
        assertEquals(texts(d.eval()), texts(load("troupe.run { data = \"" + train
                + "\", eval-fraction = 0.25, seed = 4 }").eval()), "the same seed holds out the same lines");
    }

    @Test
    void aTemplateFileRendersPromptsAndNoneRefusesMessages() throws IOException {
        Path train = Files.writeString(dir.resolve("m.jsonl"),
                "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}\n{\"prompt\": \"yo\"}\n");
        Path template = Files.writeString(dir.resolve("t.jinja"), "[{{ messages[-1].content }}]");
        DataPrompts d = load("troupe.run { data = \"" + train + "\", eval-fraction = 0, chat-template = \""
                + template + "\" }");
        assertEquals(List.of("[hi]", "[yo]"), texts(d.train().prompts(d.pool(), d.renderer())));
        assertEquals("chat template " + template, d.format());
        PromptDataException e = assertThrows(PromptDataException.class,
                () -> load("troupe.run { data = \"" + train + "\", chat-template = none }"));
        assertEquals(train + ":1: 'messages' need a chat template and the model folder has none (give one with"
                + " --chat-template FILE, or write {\"prompt\": …} lines)", e.getMessage());
        SettingsException missing = assertThrows(SettingsException.class,
                () -> load("troupe.run { data = \"" + train + "\", chat-template = \"" + dir.resolve("no.jinja") + "\" }"));
        assertEquals("troupe.run.chat-template: no chat template file at " + dir.resolve("no.jinja"),
                missing.getMessage());
    }
}
