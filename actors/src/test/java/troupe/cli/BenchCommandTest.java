package troupe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {
    @TempDir
    Path dir;

    @Test
    void pipelineBenchPrintsTheThreeVariantsSideBySide() throws Exception {
        Path model = TinyModels.save(dir.resolve("model"), 1);
        Path conf = Files.writeString(dir.resolve("b.conf"), RunCommandTest.SMALL);
        CliRunner r = CliRunner.run("bench", "pipeline", "--config", conf.toString(), "--model", model.toString(),
                "--steps", "4", "--warmup", "1");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("| isolated stages, back to back |"), r.out());
        assertTrue(r.out().contains("| sync (lag 0) |"), r.out());
        assertTrue(r.out().contains("| async (lag 1) |"), r.out());
        assertTrue(r.out().contains("async/sync throughput:"), r.out());
        // a sync step runs its stages one after another: it cannot be shorter than their sum
        Matcher over = Pattern.compile("sync step over the sum of its own stages: ([+-][\\d.]+)%").matcher(r.out());
        assertTrue(over.find(), r.out());
        assertTrue(Double.parseDouble(over.group(1)) > -1, over.group(0));
    }

    @Test
    void modelBenchCountsOpsPerCachedDecodeStep() {
        CliRunner r = CliRunner.run("bench", "model", "ops");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("| config | batch | ops per cached decode step | ops per layer |"), r.out());
        // a row per decode batch (1 and 64); the other sections are not run
        Matcher row = Pattern.compile("\\| demo llama 4×128 \\| (\\d+) \\| (\\d+) \\| ([\\d.]+) \\|").matcher(r.out());
        assertTrue(row.find(), r.out());
        assertEquals("1", row.group(1));
        assertTrue(Double.parseDouble(row.group(3)) > 0, "a layer adds ops: " + row.group(0));
        assertTrue(Integer.parseInt(row.group(2)) > 4 * Double.parseDouble(row.group(3)), row.group(0));
        assertTrue(row.find(), r.out());
        assertEquals("64", row.group(1));
        assertFalse(r.out().contains("KV cache tok/s"), r.out());
    }

    @Test
    void modelBenchRejectsAnUnknownSectionNamingTheKnownOnes() {
        CliRunner r = CliRunner.run("bench", "model", "warp");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("unknown section 'warp'; known: ops, decode, train"), r.err());
    }
}
