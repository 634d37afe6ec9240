package troupe.core.reward.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResponseLinesTest {

    @TempDir
    Path dir;

    private Path file(String text) throws IOException {
        return Files.writeString(dir.resolve("r.jsonl"), text);
    }

    @Test
    void linesKeepTheirFileNumbersAndFieldsBecomeMetadata() throws IOException {
        List<ResponseLines.Line> lines = ResponseLines.read(file("\n{\"prompt\": \"p\", \"response\": \"r\", "
                + "\"answer\": \"42\", \"tests\": [\"assert f(1) == 2\"], \"n\": 7}\n  \n"
                + "{\"messages\": [{\"role\": \"system\", \"content\": \"s\"}, {\"role\": \"user\", \"content\": \"u\"}],"
                + " \"response\": \"x\"}"));
        assertEquals(List.of(2, 4), lines.stream().map(ResponseLines.Line::number).toList());
        var first = lines.get(0).input();
        assertEquals("p", first.promptText());
        assertEquals("r", first.responseText());
        assertEquals(Map.of("answer", "42", "tests", "[\"assert f(1) == 2\"]", "n", "7"), first.metadata());
        assertEquals("s\nu", lines.get(1).input().promptText());
        assertEquals(Map.of(), lines.get(1).input().metadata());
    }

    @Test
    void badLinesNameFileAndLine() throws IOException {
        Path f = file("{\"response\": \"a\"}\n{\"prompt\": 3, \"response\": \"b\"}\n");
        var e = assertThrows(ResponseLines.BadLine.class, () -> ResponseLines.read(f));
        assertEquals(f + ":2: field 'prompt' must be a string", e.getMessage());
        Path g = file("{\"response\": \"a\", \"messages\": [{\"role\": \"user\"}]}\n");
        assertEquals(g + ":1: field 'messages': each turn needs a string 'content'",
                assertThrows(ResponseLines.BadLine.class, () -> ResponseLines.read(g)).getMessage());
        Path h = file("{\"response\": \"a\"\n");
        assertEquals(true, assertThrows(ResponseLines.BadLine.class, () -> ResponseLines.read(h)).getMessage()
                .startsWith(h + ":1: malformed JSON: "));
    }

    @Test
    void anEmptyFileHasNothingToScore() throws IOException {
        Path f = file("\n \n");
        assertEquals(f + ": no lines to score",
                assertThrows(ResponseLines.BadLine.class, () -> ResponseLines.read(f)).getMessage());
    }
}
