package troupe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightingBenchCommandTest {
    @TempDir
    Path dir;

    @Test
    void printsOneRowPerStrategyWithFiniteNumbers() throws Exception {
        Path model = TinyModels.save(dir.resolve("model"), 1);
        Path conf = Files.writeString(dir.resolve("b.conf"), RunCommandTest.SMALL);
        CliRunner r = CliRunner.run("bench", "weighting", "--config", conf.toString(), "--model", model.toString(),
                "--steps", "2", "--seeds", "1", "--strategies", "fixed-linear,maxmin", "--heldout", "8");
        assertEquals(0, r.status(), r.err());
        for (String strategy : List.of("fixed-linear", "maxmin")) {
            String row = r.out().lines().filter(l -> l.startsWith("| " + strategy + " | 1 |")).findFirst()
                    .orElseThrow(() -> new AssertionError("no row for " + strategy + " in\n" + r.out()));
            String[] cells = row.split("\\|");
            // | strategy | seeds | accuracy | chars | brevity | HV union | HV per seed | wall s |
            assertEquals(9, cells.length, row);
            for (String cell : Arrays.copyOfRange(cells, 2, cells.length)) {
                double v = Double.parseDouble(cell.trim());
                assertTrue(Double.isFinite(v), row);
            }
        }
    }

    @Test
    void rejectsAnUnknownStrategy() throws Exception {
        CliRunner r = CliRunner.run("bench", "weighting", "--strategies", "nope");
        assertEquals(Main.EXIT_USAGE, r.status());
        assertTrue(r.err().contains("unknown weighting strategy 'nope'"), r.err());
    }
}
