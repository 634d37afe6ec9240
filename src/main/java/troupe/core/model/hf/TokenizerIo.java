package troupe.core.model.hf;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
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
        Path kindFile = dir.resolve(KIND_FILE);
        String kind = KIND_HF;
        if (Files.isRegularFile(kindFile)) {
            kind = HfFolder.parsing(kindFile,
                    () -> JsonParser.parseString(Files.readString(kindFile)).getAsJsonObject().get(KIND_KEY).getAsString());
        }
        if (kind.equals(ByteTokenizer.KIND)) {
            return new ByteTokenizer();
        }
        if (!kind.equals(KIND_HF)) {
            throw new ModelFormatException(kindFile + ": unknown tokenizer kind '" + kind + "'; supported: "
                    + ByteTokenizer.KIND + ", " + KIND_HF);
        }
        Path json = dir.resolve(TOKENIZER_JSON);
        if (!Files.isRegularFile(json)) {
            throw new ModelFormatException("missing file " + json);
        }
        strictJson(json);
        // DJL's native tokenizer fails on a broken file with a bare RuntimeException: name the file.
        return HfFolder.parsing(json, () -> HfTokenizer.load(json, config.bosTokenId(), config.eosTokenId(),
                config.padTokenId()));
    }

    /**
     * Checks that {@code file} is one strict JSON object before the native tokenizers library sees
     * it: that library panics on some malformed input (a raw control character in a string of
     * "decoder", found by fuzzing), and a Rust panic aborts the whole JVM.
     */
    private static void strictJson(Path file) throws IOException {
        HfFolder.parsing(file, () -> {
            try (JsonReader r = new JsonReader(Files.newBufferedReader(file))) {
                r.setStrictness(Strictness.STRICT);
                if (!JsonParser.parseReader(r).isJsonObject() || r.peek() != JsonToken.END_DOCUMENT) {
                    throw new ModelFormatException(file + ": not one JSON object");
                }
            } catch (JsonParseException | IOException e) {
                String m = String.valueOf(e.getMessage());
                throw new ModelFormatException(file + ": not valid JSON: " + m.lines().findFirst().orElse(m), e);
            }
            return null;
        });
    }

    static void writeKind(Path dir, String kind) throws IOException {
        JsonObject j = new JsonObject();
        j.addProperty(KIND_KEY, kind);
        Files.writeString(dir.resolve(KIND_FILE), j.toString());
    }
}
