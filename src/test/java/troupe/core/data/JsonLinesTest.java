package troupe.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesTest {

    @TempDir
    Path dir;

    private List<String> read(byte[] bytes) throws IOException {
        Path f = dir.resolve("d.jsonl");
        Files.write(f, bytes);
        return JsonLines.read(f, j -> JsonLines.text(j, "a"));
    }

    private String failure(String text) {
        return failure(text.getBytes(StandardCharsets.UTF_8));
    }

    private String failure(byte[] bytes) {
        return assertThrows(JsonLines.BadLine.class, () -> read(bytes)).getMessage()
                .replace(dir.resolve("d.jsonl").toString(), "F");
    }

    @Test
    void readsLinesSkippingBlankOnesWithAndWithoutFinalNewline() throws IOException {
        assertEquals(List.of("x", "é", "z"),
                read("{\"a\": \"x\"}\r\n\n  \n{\"a\": \"é\"}\n{\"a\": \"z\"}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of(), read(new byte[0]));
    }

    @Test
    void invalidUtf8NamesTheLineAndByte() {
        byte[] bytes = "{\"a\": \"x\"}\n{\"a\": \"caf\u00e9\"}\n".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("F:2: invalid UTF-8 at byte 10", failure(bytes));
    }

    @Test
    void truncatedLineIsMalformedJsonWithoutJavaExceptionNames() {
        assertEquals("F:2: malformed JSON: Unterminated string at line 1 column 9 path $.a",
                failure("{\"a\": \"x\"}\n{\"a\": \"x"));
        assertEquals("F:1: malformed JSON: End of input at line 1 column 6 path $.a", failure("{\"a\":"));
    }

    @Test
    void nonObjectsAndWrongFieldTypesNameTheLine() {
        assertEquals("F:1: expected a JSON object, found an array", failure("[1]"));
        assertEquals("F:1: expected a JSON object, found a number", failure("7"));
        assertEquals("F:1: field 'a' must be a string", failure("{\"a\": 1}"));
    }

    @Test
    void deeplyNestedLineIsAnErrorNotAStackOverflow() {
        assertEquals("F:1: malformed JSON: Nesting limit 255 reached at line 1 column 257",
                failure("[".repeat(100_000)));
    }
}
