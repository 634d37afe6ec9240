package troupe.core.prompts;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import troupe.core.data.JsonLines;
import troupe.core.model.hf.ChatTemplate.Message;

/**
 * One line of an RL prompt dataset ({@code troupe run --data}): {@code {"prompt": "…"}} or
 * {@code {"messages": [{"role": "system|user|assistant", "content": "…"}, …]}}, plus any other
 * fields. The other fields travel with the prompt to every reward scorer as
 * {@code ScoreInput.metadata}: a JSON string verbatim, any other value (number, list, object,
 * boolean, null) as its JSON text — so {@code "answer": 42} arrives as {@code "42"} and
 * {@code "tests": ["assert f(1) == 2"]} as {@code ["assert f(1) == 2"]}.
 *
 * @param prompt the plain prompt, or null when the line has messages
 * @param messages the chat, or null when the line has a plain prompt
 * @param fields every other field of the line, in file order
 */
public record PromptLine(String prompt, List<Message> messages, Map<String, String> fields) {
    public static final String PROMPT = "prompt";
    public static final String MESSAGES = "messages";
    private static final Set<String> ROLES = Set.of("system", "user", "assistant");

    public PromptLine {
        if ((prompt == null) == (messages == null)) {
            throw new IllegalArgumentException("exactly one of prompt and messages");
        }
        messages = messages == null ? null : List.copyOf(messages);
        fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /**
     * Reads one line's object.
     *
     * @throws IllegalArgumentException with a reason naming the field
     */
    public static PromptLine parse(JsonObject j) {
        boolean hasPrompt = j.has(PROMPT);
        boolean hasMessages = j.has(MESSAGES);
        if (hasPrompt && hasMessages) {
            throw new IllegalArgumentException("has both 'prompt' and 'messages'; give one");
        }
        if (!hasPrompt && !hasMessages) {
            throw new IllegalArgumentException("missing field 'prompt' (or 'messages')");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : j.entrySet()) {
            if (!e.getKey().equals(PROMPT) && !e.getKey().equals(MESSAGES)) {
                JsonElement v = e.getValue();
                fields.put(e.getKey(), v.isJsonPrimitive() && v.getAsJsonPrimitive().isString() ? v.getAsString()
                        : v.toString());
            }
        }
        if (hasPrompt) {
            String prompt = JsonLines.text(j, PROMPT);
            if (prompt.isEmpty()) {
                throw new IllegalArgumentException("field 'prompt' is empty");
            }
            return new PromptLine(prompt, null, fields);
        }
        return new PromptLine(null, messages(j.get(MESSAGES)), fields);
    }

    /** The chat a template renders: the messages, or the plain prompt as one user message. */
    public List<Message> chat() {
        return messages != null ? messages : List.of(new Message("user", prompt));
    }

    private static List<Message> messages(JsonElement e) {
        if (!e.isJsonArray() || e.getAsJsonArray().isEmpty()) {
            throw new IllegalArgumentException("field 'messages' must be a non-empty list of {\"role\", \"content\"}");
        }
        JsonArray a = e.getAsJsonArray();
        List<Message> out = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            String where = "messages[" + i + "]";
            if (!a.get(i).isJsonObject()) {
                throw new IllegalArgumentException(where + " must be an object {\"role\", \"content\"}");
            }
            JsonObject m = a.get(i).getAsJsonObject();
            String role = string(m, "role", where);
            if (!ROLES.contains(role)) {
                throw new IllegalArgumentException(where + ".role '" + role
                        + "' is not one of system, user, assistant");
            }
            out.add(new Message(role, string(m, "content", where)));
        }
        return out;
    }

    private static String string(JsonObject m, String key, String where) {
        JsonElement v = m.get(key);
        if (v == null || !v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
            throw new IllegalArgumentException(where + "." + key + " must be a string");
        }
        return v.getAsString();
    }
}
