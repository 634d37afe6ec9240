package troupe.core.model.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import troupe.core.model.hf.ChatTemplate.Message;

/** Real chat templates (fixtures under resources/chat-templates, sources in SOURCES.md) against hand-derived outputs. */
class ChatTemplateTest {
    private static final Message SYSTEM = new Message("system", "You are terse.");
    // Leading and trailing blanks tell "content | trim" apart from "(… + content) | trim".
    private static final Message USER = new Message("user", "  What is 2+2? \n");

    @TempDir
    Path dir;

    @Test
    void llama3RendersBosOnceTrimsEachContentAndOpensTheAssistantTurn() throws IOException {
        ChatTemplate t = folder(fixture("llama3-8b-instruct.jinja"), "<|begin_of_text|>", "<|eot_id|>");
        assertEquals("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou are terse.<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\nWhat is 2+2?<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n", t.render(List.of(SYSTEM, USER)));
    }

    @Test
    void qwen2AddsItsDefaultSystemTurnOnlyWhenTheChatHasNone() throws IOException {
        ChatTemplate t = folder(fixture("qwen2-instruct.jinja"), null, "<|im_end|>");
        assertEquals("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
                + "<|im_start|>user\n  What is 2+2? \n<|im_end|>\n<|im_start|>assistant\n", t.render(List.of(USER)));
        assertEquals("<|im_start|>system\nYou are terse.<|im_end|>\n"
                + "<|im_start|>user\n  What is 2+2? \n<|im_end|>\n<|im_start|>assistant\n",
                t.render(List.of(SYSTEM, USER)));
    }

    @Test
    void chatmlClosesTheLastTurnReadsMessagesFromTheEndAndTrimsTheBlockNewline() throws IOException {
        ChatTemplate t = folder(fixture("chatml-vllm.jinja"), null, null);
        Message user = new Message("user", "Hi");
        assertEquals("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n", t.render(List.of(user)));
        Message assistant = new Message("assistant", "Hello");
        // messages[-1] is the assistant: its turn stays open for continuation, no new header.
        assertEquals("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello<|im_end|>\n",
                t.render(List.of(user, assistant)));
    }

    @Test
    void readsTheTemplateFromAChatTemplateJinjaFileBeforeTheConfig() throws IOException {
        Files.writeString(dir.resolve(ChatTemplate.JINJA_FILE), "[{{ messages[0].content }}]");
        writeConfig("{{ 'from config' }}", "<s>", "</s>");
        assertEquals("[x]", ChatTemplate.fromFolder(dir).orElseThrow().render(List.of(new Message("user", "x"))));
    }

    @Test
    void takesTheDefaultOfNamedTemplatesAndTokensWrittenAsAddedTokenObjects() throws IOException {
        Files.writeString(dir.resolve(ChatTemplate.CONFIG_FILE), "{\"chat_template\": ["
                + "{\"name\": \"tool_use\", \"template\": \"tools\"},"
                + "{\"name\": \"default\", \"template\": \"{{ bos_token }}{{ messages[0].content }}{{ eos_token }}\"}],"
                + "\"bos_token\": {\"content\": \"<s>\", \"lstrip\": false}, \"eos_token\": \"</s>\"}");
        assertEquals("<s>hi</s>", ChatTemplate.fromFolder(dir).orElseThrow().render(List.of(new Message("user", "hi"))));
    }

    @Test
    void aFolderWithoutTemplateHasNone() throws IOException {
        assertEquals(Optional.empty(), ChatTemplate.fromFolder(dir));
        Files.writeString(dir.resolve(ChatTemplate.CONFIG_FILE), "{\"bos_token\": \"<s>\"}");
        assertEquals(Optional.empty(), ChatTemplate.fromFolder(dir));
    }

    @Test
    void raiseExceptionStopsRenderingWithTheTemplatesMessage() {
        ChatTemplate t = new ChatTemplate("{% if messages[0]['role'] != 'user' %}{{ raise_exception('Conversation"
                + " roles must alternate user/assistant') }}{% endif %}ok", "t.jinja", "", "");
        assertEquals("ok", t.render(List.of(new Message("user", "a"))));
        ChatTemplate.RenderException e = assertThrows(ChatTemplate.RenderException.class,
                () -> t.render(List.of(new Message("assistant", "a"))));
        assertEquals("chat template t.jinja: Conversation roles must alternate user/assistant", e.getMessage());
    }

    @Test
    void tojsonFilterAndStrftimeNowAreThere() {
        ChatTemplate t = new ChatTemplate("{{ messages[0].content | tojson }}|{{ strftime_now('%Y') }}", "t", "", "");
        String out = t.render(List.of(new Message("user", "say \"hi\"")));
        assertEquals("\"say \\\"hi\\\"\"|" + ZonedDateTime.now().getYear(), out);
    }

    @Test
    void strftimeFormatsTheDirectivesLlamaUses() {
        ZonedDateTime t = ZonedDateTime.of(2024, 7, 26, 9, 5, 3, 0, ZoneOffset.UTC);
        assertEquals("26 Jul 2024", Strftime.format("%d %b %Y", t));
        assertEquals("2024-07-26 09:05:03 %q 100%", Strftime.format("%Y-%m-%d %H:%M:%S %q 100%%", t));
    }

    @Test
    void aUserTemplateFileTakesTheFoldersSpecialTokens() throws IOException {
        writeConfig(null, "<|begin_of_text|>", "<|eot_id|>");
        Path file = dir.resolve("mine.jinja");
        Files.writeString(file, "{{ bos_token }}{{ messages[0].content }}");
        ChatTemplate t = ChatTemplate.fromFile(file, dir);
        assertEquals("<|begin_of_text|>x", t.render(List.of(new Message("user", "x"))));
        assertTrue(t.origin().endsWith("mine.jinja"));
    }

    private ChatTemplate folder(String template, String bos, String eos) throws IOException {
        writeConfig(template, bos, eos);
        return ChatTemplate.fromFolder(dir).orElseThrow();
    }

    private void writeConfig(String template, String bos, String eos) throws IOException {
        JsonObject c = new JsonObject();
        if (template != null) {
            c.addProperty("chat_template", template);
        }
        c.addProperty("bos_token", bos);
        c.addProperty("eos_token", eos);
        Files.writeString(dir.resolve(ChatTemplate.CONFIG_FILE), c.toString());
    }

    static String fixture(String name) throws IOException {
        try (InputStream in = ChatTemplateTest.class.getResourceAsStream("/chat-templates/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
