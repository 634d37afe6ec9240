package troupe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code troupe bench subscribers} tiny: a real job with and without real Watch and SSE clients on it. */
class SubscribersBenchCommandTest {
    @TempDir
    Path dir;

    @Test
    void measuresTheJobWithoutAndWithClientsThatReadWhatItPublishes() throws Exception {
        Path model = TinyModels.save(dir.resolve("model"), 1);
        Path conf = Files.writeString(dir.resolve("b.conf"), RunCommandTest.SMALL);
        CliRunner r = CliRunner.run("bench", "subscribers", "--config", conf.toString(), "--model", model.toString(),
                "--clients", "3", "--non-readers", "1", "--steps", "2", "--warmup", "1");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("2 steps measured after 1 warm-up"), r.out());
        Matcher none = Pattern.compile("\\| 1 \\| 0 \\| ([\\d.]+) \\| \\d+ \\| 0 \\(0\\) \\| 0 \\|").matcher(r.out());
        assertTrue(none.find(), r.out());
        // 6 subscribers: the 2 reading Watch clients got events, the 2 reading SSE clients got bytes
        Matcher six = Pattern.compile("\\| 1 \\| 6 \\| ([\\d.]+) \\| \\d+ \\| (\\d+) \\(\\d+\\) \\| (\\d+) \\|")
                .matcher(r.out());
        assertTrue(six.find(), r.out());
        assertTrue(Long.parseLong(six.group(2)) >= 2, "Watch readers read the measured steps: " + six.group(0));
        assertTrue(Long.parseLong(six.group(3)) > 0, "SSE readers read: " + six.group(0));
        Matcher ratio = Pattern.compile("step time with 6 subscribers / without: ([\\d.]+)x").matcher(r.out());
        assertTrue(ratio.find(), r.out());
        assertTrue(Double.parseDouble(ratio.group(1)) > 0, ratio.group(0));
    }

    @Test
    void moreNonReadersThanClientsIsAUsageError() {
        CliRunner r = CliRunner.run("bench", "subscribers", "--clients", "2", "--non-readers", "3");
        assertEquals(Main.EXIT_USAGE, r.status());
        assertTrue(r.err().startsWith("error: need --clients >= 1, 0 <= --non-readers <= --clients"), r.err());
    }
}
