package troupe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged CLI as a separate process: exit statuses and messages a shell script sees. */
class CliProcessIT {

    @TempDir
    Path dir;

    @Test
    void configCheckExitsZeroOnValidAndTwoOnInvalidFiles() throws Exception {
        Path good = Files.writeString(dir.resolve("good.conf"), "troupe.run.steps = 3\n");
        Path bad = Files.writeString(dir.resolve("bad.conf"), "troupe.run { stpes = 3, seed = -1 }\n");

        try (JvmProcess ok = JvmProcess.start(dir.resolve("good.log"), "config", "check", good.toString())) {
            assertEquals(0, ok.awaitExit(Duration.ofSeconds(60)), ok.output());
            assertTrue(ok.output().contains("good.conf: OK"), ok.output());
        }
        try (JvmProcess ko = JvmProcess.start(dir.resolve("bad.log"), "config", "check", bad.toString())) {
            assertEquals(2, ko.awaitExit(Duration.ofSeconds(60)), ko.output());
            assertTrue(ko.output().contains("did you mean troupe.run.steps?"), ko.output());
        }
    }

    @Test
    void helpListsCommandsAndExitsZero() throws Exception {
        try (JvmProcess p = JvmProcess.start(dir.resolve("help.log"), "--help")) {
            assertEquals(0, p.awaitExit(Duration.ofSeconds(60)), p.output());
            assertTrue(p.output().contains("config"), p.output());
        }
    }
}
