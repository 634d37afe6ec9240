package troupe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import troupe.bench.SoakSample;

/** {@code troupe bench soak} for a few seconds on a tiny model: real engines, real actors, real servers. */
class SoakCommandTest {
    @TempDir
    Path dir;

    @Test
    void samplesEverySecondIntoACsvAndDrawsTheChart() throws Exception {
        Path model = TinyModels.save(dir.resolve("model"), 1);
        Path conf = Files.writeString(dir.resolve("s.conf"), RunCommandTest.SMALL);
        Path out = dir.resolve("soak");
        CliRunner r = CliRunner.run("bench", "soak", "--config", conf.toString(), "--model", model.toString(),
                "--duration", "4s", "--every", "1s", "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        List<String> csv = Files.readAllLines(out.resolve("soak.csv"));
        // one row at 0 s and one per second after it, however late the machine takes them
        assertEquals(1 + 5, csv.size(), String.join("\n", csv));
        assertEquals("seconds,step,rss_mb,heap_used_mb,heap_committed_mb,heap_after_gc_mb,threads,open_fds", csv.get(0));
        long lastStep = 0;
        for (String row : csv.subList(1, csv.size())) {
            String[] c = row.split(",");
            assertEquals(8, c.length, row);
            long step = Long.parseLong(c[1]);
            assertTrue(step >= lastStep, "steps never go back: " + row);
            lastStep = step;
            assertTrue(Double.parseDouble(c[3]) > 0 && Integer.parseInt(c[6]) > 0, row);
        }
        assertTrue(Files.readString(out.resolve("soak.svg")).contains("<polyline"));
        assertTrue(Files.exists(out.resolve("run/metrics.jsonl")), "the run writes where troupe run would");
        assertTrue(r.out().contains("soak " + out + ": 5 samples over 4s every 1s"), r.out());
        for (SoakSample.Series s : SoakSample.SERIES) {
            assertTrue(r.out().contains("| " + s.label() + " | "), r.out());
        }
        assertTrue(r.err().contains("dashboard  http://"), "the servers run as in troupe run: " + r.err());
    }

    @Test
    void anIntervalLongerThanTheDurationIsAUsageError() {
        CliRunner r = CliRunner.run("bench", "soak", "--duration", "10s", "--every", "1m");
        assertEquals(Main.EXIT_USAGE, r.status());
        assertEquals("error: --every 1m00s is longer than --duration 10s\n", r.err());
    }

    @Test
    void aDurationNeedsAUnit() {
        CliRunner r = CliRunner.run("bench", "soak", "--duration", "30");
        assertEquals(Main.EXIT_USAGE, r.status());
        assertTrue(r.err().startsWith("error: Invalid value for option '--duration': '30' is not a duration > 0 with"
                + " a unit: ms, s, m or h (e.g. 30m)"), r.err());
        assertEquals(Duration.ofMinutes(30), new SoakCommand.DurationConverter().convert("30m"));
        assertEquals(Duration.ofMillis(500), new SoakCommand.DurationConverter().convert("500ms"));
        assertEquals("1h02m03s", SoakCommand.DurationConverter.format(Duration.ofSeconds(3723)));
    }
}
