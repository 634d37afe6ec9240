package troupe.core.reward.code;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import troupe.core.reward.code.CodeExecutionSettings.Block;

/** What the code-execution rule runs: the program in a response, and the tests of a sample. */
final class CandidateCode {

    /** An opening fence with an optional language tag, its body, and a closing fence or the end. */
    private static final Pattern FENCE = Pattern.compile("```[ \\t]*([\\w+.-]*)[^\\n]*\\n(.*?)(?:```|\\z)",
            Pattern.DOTALL);
    private static final Set<String> PYTHON = Set.of("python", "py", "python3");

    private CandidateCode() {}

    /**
     * The program in {@code response}: the first or last fenced block tagged python (or py,
     * python3); failing that, the first or last untagged block; failing that, the whole text.
     * Models usually end with their final code, hence {@code last} by default; a block left
     * open by a truncated response runs to the end of the text.
     */
    static String extract(String response, Block which) {
        List<String> python = new ArrayList<>();
        List<String> untagged = new ArrayList<>();
        Matcher m = FENCE.matcher(response);
        while (m.find()) {
            String tag = m.group(1).toLowerCase(java.util.Locale.ROOT);
            if (PYTHON.contains(tag)) {
                python.add(m.group(2));
            } else if (tag.isEmpty()) {
                untagged.add(m.group(2));
            }
        }
        List<String> blocks = python.isEmpty() ? untagged : python;
        if (blocks.isEmpty()) {
            return response;
        }
        return which == Block.FIRST ? blocks.get(0) : blocks.get(blocks.size() - 1);
    }

    /**
     * The tests of sample {@code index}: field {@code field} of its metadata, the JSON text of a
     * non-empty list of strings.
     *
     * @throws IllegalArgumentException naming the sample and the field when absent or malformed
     *     (a data problem, so a scorer fault, never a zero for the policy)
     */
    static List<String> tests(Map<String, String> metadata, String field, int index) {
        String raw = metadata.get(field);
        String where = "sample " + index + ": field '" + field + "'";
        if (raw == null) {
            throw new IllegalArgumentException(where + " is missing (the tests of the code-execution rule)");
        }
        JsonElement e;
        try {
            e = JsonParser.parseString(raw);
        } catch (JsonParseException ex) {
            throw new IllegalArgumentException(where + " is not JSON: " + ex.getMessage());
        }
        if (!e.isJsonArray() || e.getAsJsonArray().isEmpty()) {
            throw new IllegalArgumentException(where + " must be a non-empty JSON list of test statements");
        }
        JsonArray a = e.getAsJsonArray();
        List<String> out = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            JsonElement t = a.get(i);
            if (!t.isJsonPrimitive() || !t.getAsJsonPrimitive().isString()) {
                throw new IllegalArgumentException(where + "[" + i + "] must be a string (a Python statement)");
            }
            out.add(t.getAsString());
        }
        return out;
    }
}
