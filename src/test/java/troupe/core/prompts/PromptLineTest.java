package troupe.core.prompts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonParser;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import troupe.core.model.hf.ChatTemplate.Message;

class PromptLineTest {

    private static PromptLine parse(String json) {
        return PromptLine.parse(JsonParser.parseString(json).getAsJsonObject());
    }

    private static String reason(String json) {
        return assertThrows(IllegalArgumentException.class, () -> parse(json)).getMessage();
    }

    @Test
    void otherFieldsBecomeMetadataStringsVerbatimAndEverythingElseAsJsonText() {
        PromptLine l = parse("{\"prompt\": \"2+2=\", \"answer\": \"4\", \"n\": 42, \"x\": 1.5, \"ok\": true,"
                + " \"none\": null, \"tests\": [\"assert f(1) == 2\", \"assert f(0) == 0\"], \"o\": {\"k\": \"v\"}}");
        assertEquals("2+2=", l.prompt());
        assertNull(l.messages());
        assertEquals(Map.of("answer", "4", "n", "42", "x", "1.5", "ok", "true", "none", "null",
                "tests", "[\"assert f(1) == 2\",\"assert f(0) == 0\"]", "o", "{\"k\":\"v\"}"), l.fields());
        assertEquals(List.of(new Message("user", "2+2=")), l.chat());
    }

    @Test
    void readsMessagesInOrder() {
        PromptLine l = parse("{\"messages\": [{\"role\": \"system\", \"content\": \"Be brief.\"},"
                + " {\"role\": \"user\", \"content\": \"Hi\"}], \"answer\": \"Hello\"}");
        assertEquals(List.of(new Message("system", "Be brief."), new Message("user", "Hi")), l.messages());
        assertEquals(Map.of("answer", "Hello"), l.fields());
    }

    @Test
    void namesTheFieldThatIsWrong() {
        assertEquals("missing field 'prompt' (or 'messages')", reason("{\"question\": \"hi\"}"));
        assertEquals("has both 'prompt' and 'messages'; give one",
                reason("{\"prompt\": \"a\", \"messages\": [{\"role\": \"user\", \"content\": \"b\"}]}"));
        assertEquals("field 'prompt' must be a string", reason("{\"prompt\": 3}"));
        assertEquals("field 'prompt' is empty", reason("{\"prompt\": \"\"}"));
        assertEquals("field 'messages' must be a non-empty list of {\"role\", \"content\"}",
                reason("{\"messages\": []}"));
        assertEquals("messages[1].role 'tool' is not one of system, user, assistant",
                reason("{\"messages\": [{\"role\": \"user\", \"content\": \"a\"}, {\"role\": \"tool\", \"content\": \"b\"}]}"));
        assertEquals("messages[0].content must be a string", reason("{\"messages\": [{\"role\": \"user\"}]}"));
        assertEquals("messages[0] must be an object {\"role\", \"content\"}", reason("{\"messages\": [\"hi\"]}"));
    }
}
