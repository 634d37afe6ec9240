package troupe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainRmCommandTest {

    @TempDir
    Path dir;

    private static final String PAIR = "{\"prompt\": \"q\", \"chosen\": \"aa\", \"rejected\": \"bb\"}\n";

    @Test
    void trainsAndWritesAMarkedRewardModelFolder() throws IOException {
        Path pairs = dir.resolve("pairs.jsonl");
        Files.writeString(pairs, PAIR.repeat(10));
        CliRunner r = CliRunner.run("train-rm", "--pairs", pairs.toString(), "--out", dir.resolve("rm").toString(),
                "--init", "llama-1x32h2", "--steps", "2", "--batch", "2", "--log-every", "1", "--held-out", "0.2");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("step 2/2  loss "), r.err());
        assertTrue(r.out().contains("trained 2 steps on 8 pairs") && r.out().contains("(2 pairs)"), r.out());
        assertTrue(Files.readString(dir.resolve("rm/config.json")).contains("TroupeRewardModel"));
        assertTrue(Files.isRegularFile(dir.resolve("rm/tokenizer.json")));
    }

    @Test
    void badLineExitsTwoWithFileAndLine() throws IOException {
        Path pairs = dir.resolve("pairs.jsonl");
        Files.writeString(pairs, PAIR + PAIR + "{\"prompt\": \"q\", \"chosen\": 1, \"rejected\": \"b\"}\n");
        CliRunner r = CliRunner.run("train-rm", "--pairs", pairs.toString(), "--out", dir.resolve("rm").toString(),
                "--init", "llama-1x32h2");
        assertEquals(2, r.status());
        assertTrue(r.err().contains(pairs + ":3: field 'chosen' must be a string"), r.err());
    }
}
