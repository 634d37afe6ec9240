package troupe.core.model.hf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A scratch folder per fuzz JVM: each input is written over the same file. */
final class FuzzFiles {
    private FuzzFiles() {}

    static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
