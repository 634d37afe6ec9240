package troupe.config;

import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import troupe.fuzz.Rejections;

/**
 * Fuzz target: HOCON run configs through the {@code troupe config check FILE} path — parse the
 * user's file, then check every key and build every settings record. A file that does not parse
 * fails with ConfigException naming the file; a parsed one yields problems, never an exception.
 */
class RunConfigFuzzTest {
    /** Troupe's block only: merging and resolving Pekko's whole reference per input ran 16 inputs/s. */
    private static final Config REFERENCE = TroupeConfig.reference().withOnlyPath(TroupeConfig.ROOT);
    private static final Path FILE = tempFile();

    @FuzzTest(maxDuration = Rejections.CEILING)
    void checksOrNamesTheFile(byte[] data) throws Throwable {
        Files.write(FILE, data);
        Config user;
        try {
            user = TroupeConfig.parseUserFile(FILE);
        } catch (ConfigException e) {
            if (e.getMessage() == null || !e.getMessage().contains(FILE.getFileName().toString())) {
                fail("parse error does not name the file: " + e, e);
            }
            return;
        }
        List<ConfigCheck.Problem> problems = ConfigCheck.check(user, REFERENCE, TroupeSettings::fromConfig);
        for (ConfigCheck.Problem p : problems) {
            if (p.message() == null || p.message().isBlank()) {
                fail("a problem without a message: " + p);
            }
        }
    }

    private static Path tempFile() {
        try {
            return Files.createTempDirectory("fuzz-hocon").resolve("run.conf");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
