package troupe.core.model.hf;

import com.google.gson.JsonObject;
import com.google.gson.JsonElement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import troupe.core.model.ModelConfig;
import troupe.core.model.ModelFormatException;

/**
 * Which tokenizer a model folder uses. Troupe records it in {@value #KIND_FILE}
 * ({@code {"kind": "byte" | "hf"}}); a folder without that file (e.g. one written by
 * {@code transformers}) is read through its {@code tokenizer.json}.
 */
public final class TokenizerIo {

    public static final String TOKENIZER_JSON = "tokenizer.json";
    public static final String KIND_FILE = "troupe_tokenizer.json";
    public static final String KIND_KEY = "kind";
    public static final String KIND_HF = "hf";

    private TokenizerIo() {
    }

    /** The folder's tokenizer; special ids of an HF tokenizer come from {@code config}. */
    public static TextTokenizer load(Path dir, ModelConfig config) throws IOException {
        if (kind(dir).equals(ByteTokenizer.KIND)) {
            return new ByteTokenizer();
        }
        return HfTokenizer.load(hfFile(dir), config.bosTokenId(), config.eosTokenId(), config.padTokenId());
    }

    /** Loads and closes the folder's tokenizer, so a broken one fails before anything is written. */
    public static void check(Path dir) throws IOException {
        if (kind(dir).equals(KIND_HF)) {
            HfTokenizer.load(hfFile(dir), -1, -1, -1).close();
        }
    }

    private static String kind(Path dir) throws IOException {
        Path kindFile = dir.resolve(KIND_FILE);
        if (!Files.isRegularFile(kindFile)) {
            return KIND_HF;
        }
        JsonElement kind = JsonFiles.object(kindFile).get(KIND_KEY);
        if (kind == null || !kind.isJsonPrimitive() || !kind.getAsJsonPrimitive().isString()) {
            throw new ModelFormatException(kindFile + ": '" + KIND_KEY + "' must be \"" + ByteTokenizer.KIND + "\" or \""
                    + KIND_HF + "\"");
        }
        if (!kind.getAsString().equals(ByteTokenizer.KIND) && !kind.getAsString().equals(KIND_HF)) {
            throw new ModelFormatException(kindFile + ": unknown tokenizer kind '" + kind.getAsString()
                    + "'; supported: " + ByteTokenizer.KIND + ", " + KIND_HF);
        }
        return kind.getAsString();
    }

    private static Path hfFile(Path dir) throws IOException {
        Path json = dir.resolve(TOKENIZER_JSON);
        if (!Files.isRegularFile(json)) {
            throw new ModelFormatException("missing file " + json);
        }
        strictJson(json);
        return json;
    }

    /**
     * Checks that {@code file} is one strict JSON object before the native tokenizers library sees
     * it: that library panics on some malformed input (a raw control character in a string of
     * "decoder", found by fuzzing), and a Rust panic aborts the whole JVM.
     */
    private static void strictJson(Path file) throws IOException {
        try (com.google.gson.stream.JsonReader r = new com.google.gson.stream.JsonReader(Files.newBufferedReader(file))) {
            r.setStrictness(com.google.gson.Strictness.STRICT);
            if (!com.google.gson.JsonParser.parseReader(r).isJsonObject()
                    || r.peek() != com.google.gson.stream.JsonToken.END_DOCUMENT) {
                throw new ModelFormatException(file + ": not one JSON object");
            }
        } catch (RuntimeException | com.google.gson.stream.MalformedJsonException | java.io.EOFException
                | java.nio.charset.CharacterCodingException e) {
            if (e instanceof ModelFormatException m) {
                throw m;
            }
            String m = String.valueOf(e.getMessage());
            throw new ModelFormatException(file + ": not valid JSON: " + m.lines().findFirst().orElse(m), e);
        }
    }

    static void writeKind(Path dir, String kind) throws IOException {
        JsonObject j = new JsonObject();
        j.addProperty(KIND_KEY, kind);
        Files.writeString(dir.resolve(KIND_FILE), j.toString());
    }
}
