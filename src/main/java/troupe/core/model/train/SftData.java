package troupe.core.model.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import troupe.core.data.JsonLines;

/** JSONL of {@code {"prompt": "...", "completion": "..."}}, one object per line; blank lines skipped. */
public final class SftData {

    /** One training pair. */
    public record Example(String prompt, String completion) {
    }

    private SftData() {
    }

    public static List<Example> read(Path file) throws IOException {
        List<Example> out;
        try {
            out = JsonLines.read(file, j -> new Example(JsonLines.text(j, "prompt"), JsonLines.text(j, "completion")));
        } catch (JsonLines.BadLine e) {
            throw new SftDataException(e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new SftDataException(file + ": no examples", null);
        }
        return out;
    }
}
