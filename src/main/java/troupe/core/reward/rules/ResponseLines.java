package troupe.core.reward.rules;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import troupe.core.data.JsonText;
import troupe.core.reward.ScoreInput;

/**
 * The input of {@code troupe score}: JSONL lines holding a prompt line's fields plus the
 * {@code response} to score. {@code prompt} (a string) or {@code messages} (the chat, whose
 * contents joined by newlines become the prompt text) are optional; every other field travels to
 * the scorers as metadata as a prompt dataset's fields do: strings verbatim, any other JSON value
 * as its JSON text. Blank lines are skipped; a bad line fails as {@code file:line: reason}.
 */
public final class ResponseLines {

    /** A line that is not a response line: the message starts {@code file:line:}. */
    public static final class BadLine extends RuntimeException {
        BadLine(String message) {
            super(message);
        }
    }

    /** One scored line: its 1-based number in the file and what the scorers see. */
    public record Line(int number, ScoreInput input) {
    }

    private static final String RESPONSE = "response";
    private static final String PROMPT = "prompt";
    private static final String MESSAGES = "messages";

    private ResponseLines() {
    }

    /** Every non-blank line of {@code file}, checked before any is scored. */
    public static List<Line> read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        List<Line> out = new ArrayList<>();
        int start = 0;
        int number = 0;
        while (start <= all.length) {
            int end = start;
            while (end < all.length && all[end] != '\n') {
                end++;
            }
            number++;
            if (end == all.length && start == end) {
                break;
            }
            String where = file + ":" + number + ": ";
            try {
                String text = JsonText.utf8(Arrays.copyOfRange(all, start, end));
                if (!text.isBlank()) {
                    out.add(new Line(number, input(JsonText.object(text))));
                }
            } catch (JsonText.Problem | IllegalArgumentException e) {
                throw new BadLine(where + e.getMessage());
            }
            start = end + 1;
        }
        if (out.isEmpty()) {
            throw new BadLine(file + ": no lines to score");
        }
        return out;
    }

    /** What the scorers see of one line (no tokenizer: token arrays are empty). */
    static ScoreInput input(JsonObject json) {
        JsonElement response = json.get(RESPONSE);
        if (response == null || !response.isJsonPrimitive() || !response.getAsJsonPrimitive().isString()) {
            throw new IllegalArgumentException("field '" + RESPONSE + "' must be a string (the response to score)");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : json.entrySet()) {
            if (!e.getKey().equals(RESPONSE) && !e.getKey().equals(PROMPT) && !e.getKey().equals(MESSAGES)) {
                JsonElement v = e.getValue();
                boolean string = v.isJsonPrimitive() && v.getAsJsonPrimitive().isString();
                metadata.put(e.getKey(), string ? v.getAsString() : v.toString());
            }
        }
        return new ScoreInput(promptText(json), response.getAsString(), new int[0], new int[0], "", metadata, false);
    }

    private static String promptText(JsonObject json) {
        JsonElement p = json.get(PROMPT);
        if (p != null) {
            if (!p.isJsonPrimitive() || !p.getAsJsonPrimitive().isString()) {
                throw new IllegalArgumentException("field '" + PROMPT + "' must be a string");
            }
            return p.getAsString();
        }
        JsonElement m = json.get(MESSAGES);
        if (m == null) {
            return "";
        }
        if (!m.isJsonArray()) {
            throw new IllegalArgumentException("field '" + MESSAGES + "' must be a list of {role, content}");
        }
        List<String> contents = new ArrayList<>();
        for (JsonElement turn : m.getAsJsonArray()) {
            JsonElement c = turn.isJsonObject() ? turn.getAsJsonObject().get("content") : null;
            if (c == null || !c.isJsonPrimitive() || !c.getAsJsonPrimitive().isString()) {
                throw new IllegalArgumentException("field '" + MESSAGES + "': each turn needs a string 'content'");
            }
            contents.add(c.getAsString());
        }
        return String.join("\n", contents);
    }
}
