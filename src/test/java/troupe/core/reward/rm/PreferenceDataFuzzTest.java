package troupe.core.reward.rm;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Files;
import java.nio.file.Path;
import troupe.core.fuzz.Rejections;

/** Fuzz target: preference JSONL datasets ({@code troupe train-rm --data}). */
class PreferenceDataFuzzTest {
    private static final Path FILE = tempFile();

    @FuzzTest(maxDuration = Rejections.CEILING)
    void readsOrNamesTheLine(byte[] data) throws Throwable {
        Files.write(FILE, data);
        Rejections.expectOnly(FILE.toString(), () -> PreferenceData.read(FILE), PreferenceData.FormatException.class);
    }

    private static Path tempFile() {
        try {
            return Files.createTempDirectory("fuzz-pref").resolve("pairs.jsonl");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
