package troupe.core.prompts;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import troupe.core.fuzz.Rejections;
import troupe.core.model.hf.ByteTokenizer;
import troupe.core.model.hf.ChatTemplate;

/**
 * Fuzz target: RL prompt datasets ({@code troupe run --data}), through the whole check a run does
 * (parse, chat template, tokens, length) and back through the index. Seeds in PromptDataFuzzTestInputs/.
 */
class PromptDataFuzzTest {
    private static final Path FILE = tempFile();
    // A real template (ChatML, fixtures/chat-templates), so messages are rendered, not rejected.
    private static final PromptRenderer RENDERER = new PromptRenderer(new ByteTokenizer(), Optional.of(
            new ChatTemplate("{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n'"
                    + " + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{{ '<|im_start|>assistant\\n' }}",
                    "chatml", "", "")));

    @FuzzTest(maxDuration = Rejections.CEILING)
    void readsOrNamesTheLine(byte[] data) throws Throwable {
        Files.write(FILE, data);
        Rejections.expectOnly(FILE.toString(), () -> {
            PromptDataset d = PromptDataset.index(FILE, RENDERER, 4096, 16);
            // every indexed line reads back as the prompt it was checked as
            d.prompts(d.all(), RENDERER);
        }, PromptDataException.class);
    }

    static Path tempFile() {
        try {
            return Files.createTempDirectory("fuzz-prompts").resolve("data.jsonl");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
