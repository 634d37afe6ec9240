package troupe.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import troupe.proto.v1.LearnerEvent;

/** `troupe run` end to end on a tiny random model: real engines, real actors, seconds. */
class RunCommandTest {
    static final String SMALL = """
            troupe.pipeline { prompts-per-step = 2, group-size = 4 }
            troupe.sampling.max-new-tokens = 6
            troupe.run { heldout-prompts = 0, prompt-pool = 64 }
            troupe.learner.micro-batch = 8
            troupe.checkpoint.every-n-steps = 2
            troupe.grpc { port = 0, token = "test-token" }
            troupe.http.port = 0
            """;

    @TempDir
    Path dir;

    private Path conf(String extra) throws IOException {
        return Files.writeString(dir.resolve("small.conf"), SMALL + extra);
    }

    private CliRunner run(String id, int steps, String... more) throws IOException {
        return runWith("", id, steps, more);
    }

    private CliRunner runWith(String extraConfig, String id, int steps, String... more) throws IOException {
        Path model = dir.resolve("model");
        if (!Files.exists(model)) {
            TinyModels.save(model, 3);
        }
        List<String> args = new java.util.ArrayList<>(List.of("run", "--config", conf(extraConfig).toString(), "--model",
                model.toString(), "--out", dir.resolve("runs").toString(), "--run-id", id, "--steps",
                Integer.toString(steps)));
        args.addAll(List.of(more));
        return CliRunner.run(args.toArray(String[]::new));
    }

    private static List<LearnerEvent> events(Path metrics) throws IOException {
        List<LearnerEvent> out = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(metrics)) {
            LearnerEvent.Builder b = LearnerEvent.newBuilder();
            JsonFormat.parser().merge(line, b);
            out.add(b.build());
        }
        return out;
    }

    @Test
    void trainsWritesMetricsCheckpointsAndTheFinalModel() throws IOException {
        CliRunner r = run("smoke", 3);
        assertEquals(0, r.status(), r.err());
        Path runDir = dir.resolve("runs/smoke");
        List<LearnerEvent> ev = events(runDir.resolve("metrics.jsonl"));
        assertEquals(List.of(1L, 2L, 3L), ev.stream().map(LearnerEvent::getStep).toList());
        assertEquals(List.of("correctness", "brevity"),
                ev.get(0).getObjectivesList().stream().map(o -> o.getName()).toList());
        assertTrue(Files.exists(runDir.resolve("final/model.safetensors")));
        assertTrue(r.out().contains("3 steps, policy v3"), r.out());
        assertTrue(r.out().matches("(?s).*\\npeak RSS [1-9]\\d* MB\\n.*"), r.out());
        assertTrue(r.err().contains("step 3/3"), r.err());
    }

    @Test
    void ppoWithGaeAndDapoDynamicSamplingRunByConfigAlone() throws IOException {
        // The random policy never answers correctly, so every group ties on correctness: each step
        // draws max-num-gen-batches = 2 batches and trains on the last one at the cap.
        CliRunner r = runWith("""
                troupe.learner.advantage.estimator = gae
                troupe.learner.overlong.enabled = true
                troupe.learner.dynamic-sampling { enabled = true, objective = correctness, max-num-gen-batches = 2 }
                """, "gae-dapo", 2);
        assertEquals(0, r.status(), r.err());
        Path runDir = dir.resolve("runs/gae-dapo");
        List<LearnerEvent> ev = events(runDir.resolve("metrics.jsonl"));
        assertEquals(List.of(1L, 2L), ev.stream().map(LearnerEvent::getStep).toList());
        for (LearnerEvent e : ev) {
            assertTrue(e.getCritic().getPresent(), e.toString());
            assertTrue(e.getLoss().getValue() > 0 && Double.isFinite(e.getLoss().getTotal()), e.toString());
            assertTrue(e.getShaping().getKlInReward());
            assertTrue(e.getShaping().getOverlongPenaltyMean() <= 0);
            assertEquals(2, e.getDynamicSampling().getGenerationBatches());
            assertTrue(e.getDynamicSampling().getCapReached());
        }
        assertEquals(List.of("filtered\t1", "trained\t2", "filtered\t3", "trained\t4"),
                Files.readAllLines(runDir.resolve("batches.tsv")).stream()
                        .map(l -> l.substring(0, l.indexOf('\t', l.indexOf('\t') + 1))).toList());
    }

    @Test
    void resumeContinuesExactlyWhereTheCheckpointLeftOff() throws IOException {
        assertEquals(0, run("straight", 4).status());
        assertEquals(0, run("first-half", 2).status());
        CliRunner resumed = run("second-half", 4, "--resume", dir.resolve("runs/first-half").toString());
        assertEquals(0, resumed.status(), resumed.err());

        List<LearnerEvent> straight = events(dir.resolve("runs/straight/metrics.jsonl"));
        List<LearnerEvent> second = events(dir.resolve("runs/second-half/metrics.jsonl"));
        assertEquals(List.of(3L, 4L), second.stream().map(LearnerEvent::getStep).toList());
        for (int i = 0; i < 2; i++) {
            LearnerEvent a = straight.get(2 + i);
            LearnerEvent b = second.get(i);
            assertEquals(a.getBatchId(), b.getBatchId(), "same next batch");
            assertEquals(a.getLoss().getTotal(), b.getLoss().getTotal(), 0.0, "same loss at step " + a.getStep());
            assertEquals(a.getObjectives(0).getRawMean(), b.getObjectives(0).getRawMean(), 0.0);
        }
        assertArrayEquals(Files.readAllBytes(dir.resolve("runs/straight/final/model.safetensors")),
                Files.readAllBytes(dir.resolve("runs/second-half/final/model.safetensors")), "same final weights");
    }

    @Test
    void badConfigValueExitsTwoNamingTheKey() throws IOException {
        CliRunner r = run("bad", 0);
        assertEquals(2, r.status());
        assertTrue(r.err().contains("troupe.run.steps"), r.err());
    }
}
