package troupe.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import troupe.proto.v1.PreferenceStats;

/** `troupe run` with {@code troupe.learner.algorithm = online-dpo}: real engines and actors on a tiny model. */
class OnlineDpoRunTest {
    static final String DPO = RunCommandTest.SMALL + """
            troupe.learner.algorithm = online-dpo
            # min-reward-gap 0: the tiny random policy rarely differs by more on correctness
            troupe.learner.preference { loss = cdpo, beta = 0.2, min-reward-gap = 0 }
            """;

    @TempDir
    Path dir;

    private CliRunner run(String id, int steps, String... more) throws IOException {
        Path model = dir.resolve("model");
        if (!Files.exists(model)) {
            TinyModels.save(model, 3);
        }
        Path conf = Files.writeString(dir.resolve("dpo.conf"), DPO);
        List<String> args = new ArrayList<>(List.of("run", "--config", conf.toString(), "--model", model.toString(),
                "--out", dir.resolve("runs").toString(), "--run-id", id, "--steps", Integer.toString(steps)));
        args.addAll(List.of(more));
        return CliRunner.run(args.toArray(String[]::new));
    }

    private static List<LearnerEvent> events(Path metrics) throws IOException {
        List<LearnerEvent> out = new ArrayList<>();
        for (String line : Files.readAllLines(metrics)) {
            LearnerEvent.Builder b = LearnerEvent.newBuilder();
            JsonFormat.parser().merge(line, b);
            out.add(b.build());
        }
        return out;
    }

    @Test
    void trainsOnPairsAndReportsPreferenceMetricsInEveryEvent() throws IOException {
        CliRunner r = run("dpo", 3);
        assertEquals(0, r.status(), r.err());
        Path runDir = dir.resolve("runs/dpo");
        List<LearnerEvent> ev = events(runDir.resolve("metrics.jsonl"));
        assertEquals(List.of(1L, 2L, 3L), ev.stream().map(LearnerEvent::getStep).toList());
        for (LearnerEvent e : ev) {
            assertTrue(e.hasPreference(), "step " + e.getStep());
            PreferenceStats p = e.getPreference();
            assertEquals("cdpo", p.getLoss());
            // 2 prompts per step, group size 4: each prompt gives a pair or is skipped.
            assertEquals(2, p.getPairs() + p.getPairsSkipped());
            assertTrue(Double.isFinite(p.getLossValue()) && Double.isFinite(p.getRewardMargin()));
            assertEquals(p.getLossValue(), e.getLoss().getTotal(), 1e-12);
            assertEquals(e.getStep(), e.getPolicyVersion());
        }
        assertTrue(ev.stream().mapToInt(e -> e.getPreference().getPairs()).sum() > 0, "some step had a pair");
        assertTrue(Files.exists(runDir.resolve("final/model.safetensors")));
        assertTrue(r.out().contains("3 steps, policy v3"), r.out());
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
            assertEquals(straight.get(2 + i).getPreference(), second.get(i).getPreference());
        }
        assertArrayEquals(Files.readAllBytes(dir.resolve("runs/straight/final/model.safetensors")),
                Files.readAllBytes(dir.resolve("runs/second-half/final/model.safetensors")), "same final weights");
    }

    @Test
    void policyGradientEventsCarryNoPreferenceStats() throws IOException {
        Path model = dir.resolve("model");
        TinyModels.save(model, 3);
        Path conf = Files.writeString(dir.resolve("pg.conf"), RunCommandTest.SMALL);
        CliRunner r = CliRunner.run("run", "--config", conf.toString(), "--model", model.toString(), "--out",
                dir.resolve("runs").toString(), "--run-id", "pg", "--steps", "1");
        assertEquals(0, r.status(), r.err());
        assertFalse(events(dir.resolve("runs/pg/metrics.jsonl")).get(0).hasPreference());
    }

    @Test
    void configCheckAcceptsTheKeysAndNamesABadAlgorithmOrTooSmallGroup() throws IOException {
        Path ok = Files.writeString(dir.resolve("ok.conf"), DPO);
        CliRunner good = CliRunner.run("config", "check", ok.toString());
        assertEquals(0, good.status(), good.err());
        Path bad = Files.writeString(dir.resolve("bad.conf"), "troupe.learner.algorithm = dpo2\n");
        CliRunner r = CliRunner.run("config", "check", bad.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("troupe.learner.algorithm"), r.err());
        Path single = Files.writeString(dir.resolve("single.conf"),
                "troupe.learner.algorithm = online-dpo\ntroupe.pipeline.group-size = 1\n");
        CliRunner g = CliRunner.run("config", "check", single.toString());
        assertEquals(2, g.status());
        assertTrue(g.err().contains("troupe.pipeline.group-size"), g.err());
    }
}
