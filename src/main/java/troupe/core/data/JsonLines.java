package troupe.core.data;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
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
        // Decoded line by line (not through a Reader, which decodes ahead): a byte that is not
        // UTF-8 then fails naming its own line (found by fuzzing: it leaked MalformedInputException).
        byte[] all = Files.readAllBytes(file);
        int number = 0;
        for (int start = 0; start < all.length; ) {
            int end = start;
            while (end < all.length && all[end] != '\n') {
                end++;
            }
            number++;
            String line = decode(all, start, end, file, number);
            start = end + 1;
            if (line.isBlank()) {
                continue;
            }
            try {
                out.add(parse.apply(JsonParser.parseString(line).getAsJsonObject()));
            } catch (RuntimeException e) {
                throw new BadLine(file + ":" + number + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static String decode(byte[] bytes, int start, int end, Path file, int number) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, start, end - start)).toString();
        } catch (CharacterCodingException e) {
            throw new BadLine(file + ":" + number + ": not valid UTF-8", e);
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
