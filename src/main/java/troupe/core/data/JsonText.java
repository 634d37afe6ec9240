package troupe.core.data;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Outside text as JSON, with problems described in words a user can act on: Gson's messages
 * start with its exception class ({@code java.io.EOFException: End of input at line 1 column 15}),
 * which this strips; invalid UTF-8 names the byte offset instead of Java's "Input length = 1".
 */
public final class JsonText {

    private JsonText() {
    }

    /** A problem with a piece of text; the caller prefixes the file (and line). */
    public static final class Problem extends Exception {
        Problem(String message) {
            super(message, null, false, false);
        }
    }

    /** Strict UTF-8 decoding: a malformed or truncated sequence fails naming its byte offset. */
    public static String utf8(byte[] bytes) throws Problem {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            CharBuffer out = d.decode(in);
            return out.toString();
        } catch (CharacterCodingException e) {
            throw new Problem("invalid UTF-8 at byte " + in.position());
        }
    }

    /** Parses one JSON value; anything but a well-formed object fails saying what was found. */
    public static com.google.gson.JsonObject object(String text) throws Problem {
        JsonElement e;
        try {
            e = JsonParser.parseString(text);
        } catch (JsonParseException | StackOverflowError ex) {
            throw new Problem(describe(ex));
        }
        if (!e.isJsonObject()) {
            throw new Problem("expected a JSON object, found " + (e.isJsonNull() ? "nothing" : kind(e)));
        }
        return e.getAsJsonObject();
    }

    /** Gson's message without the class name of the underlying exception. */
    static String describe(Throwable e) {
        if (e instanceof StackOverflowError) {
            return "malformed JSON: nested too deeply";
        }
        Throwable root = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause() : e;
        String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        m = m.replaceFirst("^[\\w.]+(Exception|Error): ", "").replaceFirst("\\s*See https://\\S+$", "");
        // Gson's JSON path of a deeply nested value ($[0][0]...) can be thousands of characters.
        return "malformed JSON: " + m.replaceFirst(" path \\S{60,}$", "");
    }

    private static String kind(JsonElement e) {
        if (e.isJsonArray()) {
            return "an array";
        }
        return e.getAsJsonPrimitive().isString() ? "a string" : e.getAsJsonPrimitive().isNumber() ? "a number"
                : "a boolean";
    }
}
