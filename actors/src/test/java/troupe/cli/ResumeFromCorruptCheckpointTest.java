package troupe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import troupe.proto.v1.LearnerEvent;

/**
 * {@code troupe run --resume} with the newest checkpoint damaged after it was written (a bit
 * flipped in its weights): the run names it, resumes from the one before and trains on; naming the
 * damaged folder itself is a usage error. The crash-mid-write cases are CrashConsistencyTest's.
 */
class ResumeFromCorruptCheckpointTest {

    @TempDir
    Path dir;

    private CliRunner run(String id, int steps, String... more) throws IOException {
        Path model = dir.resolve("model");
        if (!Files.exists(model)) {
            TinyModels.save(model, 3);
        }
        Path conf = Files.writeString(dir.resolve("small.conf"), RunCommandTest.SMALL);
        List<String> args = new ArrayList<>(List.of("run", "--config", conf.toString(), "--model", model.toString(),
                "--out", dir.resolve("runs").toString(), "--run-id", id, "--steps", Integer.toString(steps)));
        args.addAll(List.of(more));
        return CliRunner.run(args.toArray(String[]::new));
    }

    @Test
    void resumeSkipsACorruptNewestCheckpointNamingItAndContinuesFromTheOneBefore() throws IOException {
        assertEquals(0, run("first", 4).status()); // checkpoints at steps 2 and 4
        Path step4 = dir.resolve("runs/first/checkpoints/step-000000004");
        Path weights;
        try (var s = Files.list(step4)) {
            weights = s.filter(p -> p.toString().endsWith(".safetensors")).findFirst().orElseThrow();
        }
        byte[] b = Files.readAllBytes(weights);
        b[b.length - 5] ^= 0x10;
        Files.write(weights, b);

        CliRunner bad = run("direct", 5, "--resume", step4.toString());
        assertEquals(2, bad.status(), bad.err());
        assertTrue(bad.err().contains("error: --resume: checkpoint " + step4 + ": " + weights.getFileName()
                + " is corrupt (crc32c "), bad.err());

        CliRunner resumed = run("second", 4, "--resume", dir.resolve("runs/first").toString());
        assertEquals(0, resumed.status(), resumed.err());
        assertTrue(resumed.err().contains("warning: skipping incomplete checkpoint " + step4 + ": "
                + weights.getFileName() + " is corrupt"), resumed.err());
        List<Long> steps = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("runs/second/metrics.jsonl"))) {
            LearnerEvent.Builder e = LearnerEvent.newBuilder();
            JsonFormat.parser().merge(line, e);
            steps.add(e.getStep());
        }
        assertEquals(List.of(3L, 4L), steps, "resumed from step 2, the newest complete checkpoint");
    }
}
