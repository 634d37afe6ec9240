package troupe.core.model.hf;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Files;
import java.nio.file.Path;
import troupe.core.fuzz.Rejections;
import troupe.core.model.ModelFormatException;

/** Fuzz target: a model folder's {@code config.json} (every command that takes --model). */
class HfConfigFuzzTest {
    private static final Path DIR = FuzzFiles.tempDir("fuzz-config");

    @FuzzTest(maxDuration = Rejections.CEILING)
    void parsesOrNamesTheFile(byte[] data) throws Throwable {
        Files.write(DIR.resolve(HfFolder.CONFIG), data);
        Rejections.expectOnly(HfFolder.CONFIG, () -> HfFolder.readConfig(DIR), ModelFormatException.class);
    }
}
