package troupe.core.reward.rm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import troupe.core.data.JsonLines;

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
        List<Pair> out;
        try {
            out = JsonLines.read(file, j -> new Pair(JsonLines.text(j, "prompt"), JsonLines.text(j, "chosen"),
                    JsonLines.text(j, "rejected")));
        } catch (JsonLines.BadLine e) {
            throw new FormatException(e.getMessage(), e);
        }
        if (out.size() < 2) {
            throw new FormatException(file + ": need at least 2 pairs (one to train, one to hold out), found "
                    + out.size(), null);
        }
        return out;
    }
}
