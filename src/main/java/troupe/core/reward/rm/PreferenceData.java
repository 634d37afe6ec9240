package troupe.core.reward.rm;

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

/**
 * JSONL preference pairs {@code {"prompt": ..., "chosen": ..., "rejected": ...}}, one object per
 * line; blank lines skipped. A malformed line fails with {@code file:line: reason}.
 */
public final class PreferenceData {

    /** One comparison: {@code chosen} is preferred to {@code rejected} as a response to {@code prompt}. */
    public record Pair(String prompt, String chosen, String rejected) {
    }

    /** A malformed preference line; the message starts with {@code file:line:}. */
    public static final class FormatException extends RuntimeException {
        public FormatException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private PreferenceData() {
    }

    public static List<Pair> read(Path file) throws IOException {
        List<Pair> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = r.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonObject j = JsonParser.parseString(line).getAsJsonObject();
                    out.add(new Pair(text(j, "prompt"), text(j, "chosen"), text(j, "rejected")));
                } catch (RuntimeException e) {
                    throw new FormatException(file + ":" + number + ": " + e.getMessage(), e);
                }
            }
        }
        if (out.size() < 2) {
            throw new FormatException(file + ": need at least 2 pairs (one to train, one to hold out), found "
                    + out.size(), null);
        }
        return out;
    }

    private static String text(JsonObject j, String key) {
        JsonElement e = j.get(key);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new IllegalArgumentException("field '" + key + "' must be a string");
        }
        return e.getAsString();
    }
}
