package troupe.core.model.hf;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Files;
import java.nio.file.Path;
import troupe.core.fuzz.Rejections;
import troupe.core.model.ModelFormatException;

/**
 * Fuzz target: a {@code *.safetensors} file (header length, JSON header, offsets, data). A
 * header may not make the reader allocate more than the file holds.
 */
class SafetensorsFuzzTest {
    private static final Path FILE = FuzzFiles.tempDir("fuzz-st").resolve("model.safetensors");

    @FuzzTest(maxDuration = Rejections.CEILING)
    void readsOrNamesTheFile(byte[] data) throws Throwable {
        Files.write(FILE, data);
        Rejections.expectOnly(FILE.toString(), () -> Safetensors.read(FILE), ModelFormatException.class);
    }
}
