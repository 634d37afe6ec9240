package troupe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
