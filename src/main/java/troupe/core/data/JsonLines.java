package troupe.core.data;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

    public static <T> List<T> read(Path file, Function<JsonObject, T> parse) throws IOException {
        List<T> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = r.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    out.add(parse.apply(JsonParser.parseString(line).getAsJsonObject()));
                } catch (RuntimeException e) {
                    throw new BadLine(file + ":" + number + ": " + e.getMessage(), e);
                }
            }
        }
        return out;
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
