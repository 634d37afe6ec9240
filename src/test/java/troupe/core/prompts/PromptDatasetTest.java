package troupe.core.prompts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import troupe.core.engine.Prompt;
import troupe.core.model.hf.ByteTokenizer;
import troupe.core.model.hf.ChatTemplate;
import troupe.core.model.hf.HfTokenizer;

class PromptDatasetTest {
    private static final PromptRenderer PLAIN = new PromptRenderer(new ByteTokenizer(), Optional.empty());

    @TempDir
    Path dir;

    private Path file(String text) throws IOException {
        return file(text.getBytes(StandardCharsets.UTF_8));
    }

    private Path file(byte[] bytes) throws IOException {
        Path f = dir.resolve("train.jsonl");
        Files.write(f, bytes);
        return f;
    }

    private String failure(Path f, PromptRenderer r, int context, int budget) {
        return assertThrows(PromptDataException.class, () -> PromptDataset.index(f, r, context, budget)).getMessage()
                .replace(f.toString(), "F");
    }

    @Test
    void indexesNonBlankLinesAndReadsThemBackWithTokensAndMetadata() throws IOException {
        Path f = file("{\"prompt\": \"ab\", \"answer\": \"1\"}\n\n{\"prompt\": \"é\", \"answer\": 2}\r\n"
                + "{\"prompt\": \"z\"}");
        PromptDataset d = PromptDataset.index(f, PLAIN, 64, 16);
        assertEquals(3, d.size());
        assertEquals(List.of(1, 3, 4), IntStream.range(0, 3).map(d::lineOf).boxed().toList());
        List<Prompt> p = d.prompts(new int[] {2, 0, 1}, PLAIN);
        assertEquals(List.of("train.jsonl:4", "train.jsonl:1", "train.jsonl:3"), p.stream().map(Prompt::id).toList());
        assertArrayEquals(new int[] {ByteTokenizer.BOS, 'a', 'b'}, p.get(1).tokens());
        assertEquals(Map.of("answer", "2"), p.get(2).metadata());
        assertEquals("é", p.get(2).text());
        assertEquals(PromptDataset.TASK, p.get(0).task());
    }

    @Test
    void readsALineLongerThanOneReadChunk() throws IOException {
        String longText = "x".repeat(20_000);
        PromptDataset d = PromptDataset.index(file("{\"prompt\": \"a\"}\n{\"prompt\": \"" + longText + "\"}\n"), PLAIN,
                30_000, 16);
        assertEquals(longText, d.prompts(new int[] {1}, PLAIN).get(0).text());
    }

    @Test
    void everyBadInputFailsBeforeTrainingNamingFileAndLine() throws IOException {
        assertEquals("F: no prompts (the file is empty or blank)", failure(file(""), PLAIN, 64, 16));
        assertEquals("F: no prompts (the file is empty or blank)", failure(file("\n  \n"), PLAIN, 64, 16));
        assertEquals("F:2: malformed JSON: End of input at line 1 column 13 path $.prompt",
                failure(file("{\"prompt\": \"a\"}\n{\"prompt\": 1\n"), PLAIN, 64, 16));
        assertEquals("F:1: missing field 'prompt' (or 'messages')", failure(file("{\"q\": \"a\"}\n"), PLAIN, 64, 16));
        assertEquals("F:1: messages[0].role 'bot' is not one of system, user, assistant",
                failure(file("{\"messages\": [{\"role\": \"bot\", \"content\": \"a\"}]}"), PLAIN, 64, 16));
        byte[] bad = "{\"prompt\": \"a\"}\n{\"prompt\": \"\u00ff\"}\n".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("F:2: invalid UTF-8 at byte 12", failure(file(bad), PLAIN, 64, 16));
        // 1 BOS + 10 bytes = 11 tokens > 26 - 16
        assertEquals("F:2: prompt is 11 tokens, longer than the model's context (26) minus the response budget (16)"
                + " = 10", failure(file("{\"prompt\": \"a\"}\n{\"prompt\": \"0123456789\"}"), PLAIN, 26, 16));
        assertEquals("F:1: 'messages' need a chat template and the model folder has none (give one with"
                + " --chat-template FILE, or write {\"prompt\": …} lines)",
                failure(file("{\"messages\": [{\"role\": \"user\", \"content\": \"a\"}]}"), PLAIN, 64, 16));
        assertEquals("F: no such file", failure(dir.resolve("missing.jsonl"), PLAIN, 64, 16)
                .replace(dir.resolve("missing.jsonl").toString(), "F"));
    }

    @Test
    void aTemplatedPromptIsTokenisedWithoutAnotherBos() throws IOException {
        PromptRenderer chat = new PromptRenderer(new ByteTokenizer(),
                Optional.of(new ChatTemplate("{{ bos_token }}[{{ messages[0].role }}]{{ messages[0].content }}", "t",
                        "B", "")));
        PromptDataset d = PromptDataset.index(file("{\"prompt\": \"hi\"}"), chat, 64, 16);
        Prompt p = d.prompts(new int[] {0}, chat).get(0);
        assertEquals("B[user]hi", p.text());
        // the template's own "B" is the first token; no ByteTokenizer.BOS in front of it
        assertArrayEquals("B[user]hi".chars().toArray(), p.tokens());
    }

    @Test
    void theTemplatesBosTextBecomesTheBosIdOnceThroughAHuggingFaceTokenizer() throws IOException {
        new ByteTokenizer().save(dir); // a tokenizer.json whose added tokens include <|bos|> = 256
        try (HfTokenizer hf = HfTokenizer.load(dir.resolve("tokenizer.json"), ByteTokenizer.BOS, ByteTokenizer.EOS,
                ByteTokenizer.PAD)) {
            // Llama 3's shape: the template itself opens with bos_token.
            PromptRenderer chat = new PromptRenderer(hf, Optional.of(new ChatTemplate(
                    "{{ bos_token }}{% for m in messages %}{{ m.content }}{% endfor %}", "t", "<|bos|>", "<|eos|>")));
            int[] tokens = chat.tokens(chat.text(new PromptLine("hi", null, Map.of())));
            assertArrayEquals(new int[] {ByteTokenizer.BOS, 'h', 'i'}, tokens);
            // The plain path adds the BOS itself, once.
            PromptRenderer plain = new PromptRenderer(hf, Optional.empty());
            assertArrayEquals(new int[] {ByteTokenizer.BOS, 'h', 'i'}, plain.tokens(plain.text(
                    new PromptLine("hi", null, Map.of()))));
        }
    }

    @Test
    void splitIsFixedByTheSeedDisjointAndComplete() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            text.append("{\"prompt\": \"p").append(i).append("\"}\n");
        }
        PromptDataset d = PromptDataset.index(file(text.toString()), PLAIN, 64, 16);
        PromptDataset.Split a = d.split(0.1, 7);
        assertEquals(5, a.eval().length);
        assertEquals(45, a.train().length);
        assertArrayEquals(a.eval(), d.split(0.1, 7).eval());
        int[] joined = IntStream.concat(Arrays.stream(a.eval()), Arrays.stream(a.train())).sorted().toArray();
        assertArrayEquals(d.all(), joined);
        assertEquals(0, d.split(0.0, 7).eval().length);
        assertEquals(49, d.split(0.999, 7).eval().length, "at least one prompt stays for training");
        assertThrows(IllegalArgumentException.class, () -> d.split(1.0, 7));
    }
}
