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

    /**
     * Parses every non-blank line with {@code parse}. Each line is decoded as strict UTF-8 (a
     * malformed byte fails naming the line, where a Reader would say only "Input length = 1"),
     * and a JSON error is reported without Gson's exception class names.
     */
    public static <T> List<T> read(Path file, Function<JsonObject, T> parse) throws IOException {
        List<T> out = new ArrayList<>();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int number = 0;
            int b;
            boolean more = true;
            while (more) {
                b = in.read();
                if (b != '\n' && b >= 0) {
                    line.write(b);
                    continue;
                }
                more = b >= 0;
                if (!more && line.size() == 0) {
                    break;
                }
                number++;
                T parsed = parseLine(file, number, line.toByteArray(), parse);
                if (parsed != null) {
                    out.add(parsed);
                }
                line.reset();
            }
        }
        return out;
    }

    private static <T> T parseLine(Path file, int number, byte[] bytes, Function<JsonObject, T> parse) {
        String where = file + ":" + number + ": ";
        String text;
        JsonObject json;
        try {
            text = JsonText.utf8(bytes);
            if (text.isBlank()) {
                return null;
            }
            json = JsonText.object(text);
        } catch (JsonText.Problem e) {
            throw new BadLine(where + e.getMessage(), null);
        }
        try {
            return parse.apply(json);
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
