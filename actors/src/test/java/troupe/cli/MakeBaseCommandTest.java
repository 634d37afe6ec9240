package troupe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MakeBaseCommandTest {

    @TempDir
    Path dir;

    private static final Pattern EVAL_LINE = Pattern.compile(
            "(greedy|sampled T=1\\.0) +accuracy +\\d+\\.\\d% +mean score \\d\\.\\d{3} +mean length .*");

    @Test
    void writesTheTaskExamplesTrainsAndRecordsHeldOutAccuracy() throws IOException {
        Path data = dir.resolve("sft.jsonl");
        Path out = dir.resolve("base");
        CliRunner r = CliRunner.run("make-base", "--task", "arithmetic", "--out", out.toString(), "--init",
                "llama-1x32h2", "--examples", "30", "--steps", "3", "--batch", "4", "--eval-n", "5",
                "--data-out", data.toString());
        assertEquals(0, r.status(), r.err());
        List<String> lines = Files.readAllLines(data);
        assertEquals(30, lines.size());
        JsonObject first = JsonParser.parseString(lines.get(0)).getAsJsonObject();
        assertTrue(first.get("prompt").getAsString().endsWith("="), lines.get(0));
        assertTrue(first.get("completion").getAsString().matches("\\d+"), lines.get(0));
        assertTrue(r.err().contains("make-base: task arithmetic, 30 examples, 3 steps × 4"), r.err());
        long evalLines = r.out().lines().filter(l -> EVAL_LINE.matcher(l).matches()).count();
        assertEquals(2, evalLines, r.out());
        JsonObject record = JsonParser.parseString(Files.readString(out.resolve(MakeBaseCommand.RECORD))).getAsJsonObject();
        assertEquals("arithmetic", record.get("task").getAsString());
        assertEquals(3, record.get("steps").getAsInt());
        assertEquals(5, record.getAsJsonObject("held_out").getAsJsonObject("greedy").get("n").getAsInt());
        assertTrue(Files.isRegularFile(out.resolve("model.safetensors")));
    }

    @Test
    void unknownTaskExitsTwoListingTheTasks() {
        CliRunner r = CliRunner.run("make-base", "--task", "chess", "--out", dir.resolve("x").toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("unknown task 'chess'; supported: arithmetic, reverse"), r.err());
    }

    @Test
    void evalPrintsGreedyAndSampledAccuracy() throws IOException {
        Path model = dir.resolve("m");
        troupe.core.model.train.ModelInit.parse("llama-1x32h2").write(model, 0L);
        CliRunner r = CliRunner.run("eval", "--model", model.toString(), "--task", "reverse", "--n", "6");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("task reverse, 6 held-out prompts, model " + model), r.out());
        assertEquals(2, r.out().lines().filter(l -> EVAL_LINE.matcher(l).matches()).count(), r.out());
        assertEquals(2, CliRunner.run("eval", "--model", model.toString(), "--task", "chess").status());
    }
}
