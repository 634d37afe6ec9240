package troupe.core.model.train;

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

/** JSONL of {@code {"prompt": "...", "completion": "..."}}, one object per line; blank lines skipped. */
public final class SftData {

    /** One training pair. */
    public record Example(String prompt, String completion) {
    }

    private SftData() {
    }

    public static List<Example> read(Path file) throws IOException {
        List<Example> out = new ArrayList<>();
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
                    out.add(new Example(text(j, "prompt"), text(j, "completion")));
                } catch (RuntimeException e) {
                    throw new SftDataException(file + ":" + number + ": " + e.getMessage(), e);
                }
            }
        }
        if (out.isEmpty()) {
            throw new SftDataException(file + ": no examples", null);
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
