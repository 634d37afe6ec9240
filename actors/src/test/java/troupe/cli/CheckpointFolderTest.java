package troupe.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint folder is a model argument: every checkpoint holds its policy as an HF folder
 * ({@code model/}), which `generate`, `eval` and `run --model` load like {@code final/}.
 */
class CheckpointFolderTest {
    @TempDir
    Path dir;

    @Test
    void theLastCheckpointHoldsTheFinalPolicyAndEvalGenerateAndRunTakeIt() throws IOException {
        Path base = TinyModels.save(dir.resolve("model"), 3);
        Path conf = Files.writeString(dir.resolve("small.conf"), RunCommandTest.SMALL);
        CliRunner run = CliRunner.run("run", "--config", conf.toString(), "--model", base.toString(), "--out",
                dir.resolve("runs").toString(), "--run-id", "ck", "--steps", "3", "--no-servers");
        assertEquals(0, run.status(), run.err());
        Path runDir = dir.resolve("runs/ck");
        // every-n-steps = 2 and a checkpoint on the run's end: steps 2 and 3, each with its policy
        Path step2 = runDir.resolve("checkpoints/step-000000002");
        Path step3 = runDir.resolve("checkpoints/step-000000003");
        assertTrue(Files.isRegularFile(step2.resolve("model/config.json")), "step 2 holds model/");
        assertArrayEquals(Files.readAllBytes(runDir.resolve("final/model.safetensors")),
                Files.readAllBytes(step3.resolve("model/model.safetensors")), "the last checkpoint's policy is final/");

        String[] greedy = {"--prompt", "abc", "--greedy", "--max-new", "5", "--json"};
        CliRunner fromFinal = CliRunner.run(concat("generate", "--model", runDir.resolve("final").toString(), greedy));
        CliRunner fromCheckpoint = CliRunner.run(concat("generate", "--model", step3.toString(), greedy));
        assertEquals(0, fromCheckpoint.status(), fromCheckpoint.err());
        assertEquals(ids(fromFinal.out()), ids(fromCheckpoint.out()), "same greedy completion");

        CliRunner eval = CliRunner.run("eval", "--model", step2.toString(), "--task", "reverse", "--n", "2");
        assertEquals(0, eval.status(), eval.err());
        assertTrue(eval.out().contains("model " + step2.resolve("model")), eval.out());

        // troupe.run.model may name a checkpoint too: training starts from its policy
        CliRunner again = CliRunner.run("run", "--config", conf.toString(), "--model", step3.toString(), "--out",
                dir.resolve("runs").toString(), "--run-id", "from-ck", "--steps", "1", "--no-servers");
        assertEquals(0, again.status(), again.err());
        assertTrue(again.err().contains("model " + step3.resolve("model")), again.err());
    }

    /** The completion ids of `generate --json` (the timing field differs between calls). */
    private static String ids(String json) {
        int at = json.indexOf("\"completion_ids\"");
        return json.substring(at, json.indexOf(']', at));
    }

    private static String[] concat(String a, String b, String c, String[] rest) {
        String[] out = new String[3 + rest.length];
        out[0] = a;
        out[1] = b;
        out[2] = c;
        System.arraycopy(rest, 0, out, 3, rest.length);
        return out;
    }
}
