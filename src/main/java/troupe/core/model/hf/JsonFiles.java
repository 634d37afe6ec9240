package troupe.core.model.hf;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import troupe.core.data.JsonText;
import troupe.core.model.ModelFormatException;

/** The small JSON files of a model folder (config, index, tokenizer kind), read with their size bounded. */
final class JsonFiles {

    /** config.json is a few KB and an index for a 70B model ~100 KB; a bigger file is not one of them. */
    static final int MAX_BYTES = 16 << 20;

    private JsonFiles() {
    }

    /** The file's JSON object; missing, oversized, non-UTF-8 or malformed fails naming the file. */
    static JsonObject object(Path file) throws IOException {
        return parse(file, read(file, MAX_BYTES));
    }

    /** The file's bytes, refusing more than {@code max} without reading them. */
    static byte[] read(Path file, int max) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException("missing file " + file);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max) {
                throw new ModelFormatException(file + ": larger than " + (max >> 20) + " MB, not a model folder file");
            }
            return bytes;
        }
    }

    static JsonObject parse(Path file, byte[] bytes) {
        try {
            return JsonText.object(JsonText.utf8(bytes));
        } catch (JsonText.Problem p) {
            throw new ModelFormatException(file + ": " + p.getMessage());
        }
    }
}
