package troupe.core.data;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * JSONL files: one JSON object per line, blank lines skipped. A line that does not parse, or that
 * the caller's parser rejects, fails with {@link BadLine} whose message starts {@code file:line:}.
 */
public final class JsonLines {

    /** A malformed line: the message names the file and the 1-based line number. */
    public static final class BadLine extends RuntimeException {
        BadLine(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private JsonLines() {}

    /** What {@link #forEach} hands over for each non-blank line. */
    @FunctionalInterface
    public interface Visitor {
        /**
         * @param number 1-based line number
         * @param offset byte offset of the line's first byte in the file
         * @param json the line's object
         */
        void accept(int number, long offset, JsonObject json);
    }

    /**
     * Parses every non-blank line with {@code parse}. Each line is decoded as strict UTF-8 (a
     * malformed byte fails naming the line, where a Reader would say only "Input length = 1"),
     * and a JSON error is reported without Gson's exception class names.
     */
    public static <T> List<T> read(Path file, Function<JsonObject, T> parse) throws IOException {
        List<T> out = new ArrayList<>();
        forEach(file, (number, offset, json) -> {
            T parsed = parse.apply(json);
            if (parsed != null) {
                out.add(parsed);
            }
        });
        return out;
    }

    /**
     * Streams the file once, handing each non-blank line to {@code visitor} with its number and
     * byte offset (so a caller can index a file larger than memory and seek back to a line). An
     * exception the visitor throws becomes a {@link BadLine} naming the line.
     */
    public static void forEach(Path file, Visitor visitor) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int number = 0;
            long offset = 0;
            long start = 0;
            int b;
            boolean more = true;
            while (more) {
                b = in.read();
                if (b != '\n' && b >= 0) {
                    line.write(b);
                    offset++;
                    continue;
                }
                more = b >= 0;
                if (!more && line.size() == 0) {
                    break;
                }
                number++;
                visitLine(file, number, start, line.toByteArray(), visitor);
                line.reset();
                offset++;
                start = offset;
            }
        }
    }

    /** Parses one line read back from {@code file} at a known number; a problem fails naming it. */
    public static JsonObject parse(Path file, int number, byte[] bytes) {
        JsonObject[] out = new JsonObject[1];
        visitLine(file, number, 0, bytes, (n, o, json) -> out[0] = json);
        if (out[0] == null) {
            throw new BadLine(file + ":" + number + ": blank line", null);
        }
        return out[0];
    }

    private static void visitLine(Path file, int number, long offset, byte[] bytes, Visitor visitor) {
        String where = file + ":" + number + ": ";
        String text;
        JsonObject json;
        try {
            text = JsonText.utf8(bytes);
            if (text.isBlank()) {
                return;
            }
            json = JsonText.object(text);
        } catch (JsonText.Problem e) {
            throw new BadLine(where + e.getMessage(), null);
        }
        try {
            visitor.accept(number, offset, json);
        } catch (BadLine e) {
            throw e;
        } catch (RuntimeException e) {
            throw new BadLine(where + e.getMessage(), e);
        }
    }

    /** The string field {@code key}; anything else is an error naming the field. */
    public static String text(JsonObject j, String key) {
        JsonElement e = j.get(key);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new IllegalArgumentException("field '" + key + "' must be a string");
        }
        return e.getAsString();
    }
}
