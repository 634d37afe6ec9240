package troupe.core.model.train;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Files;
import java.nio.file.Path;
import troupe.core.fuzz.Rejections;

/** Fuzz target: SFT JSONL datasets ({@code troupe sft --data}). Seeds in SftDataFuzzTestInputs/. */
class SftDataFuzzTest {
    private static final Path FILE = tempFile();

    @FuzzTest(maxDuration = Rejections.CEILING)
    void readsOrNamesTheLine(byte[] data) throws Throwable {
        Files.write(FILE, data);
        Rejections.expectOnly(FILE.toString(), () -> SftData.read(FILE), SftDataException.class);
    }

    static Path tempFile() {
        try {
            Path dir = Files.createTempDirectory("fuzz-sft");
            return dir.resolve("data.jsonl");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
