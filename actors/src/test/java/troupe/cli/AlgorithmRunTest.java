package troupe.cli;

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
import troupe.proto.v1.RankingStats;

/** `troupe run --algorithm NAME` for raft, pro, gspo and cispo: real engines and actors on a tiny model, two steps. */
class AlgorithmRunTest {

    @TempDir
    Path dir;

    private CliRunner run(String algorithm, String extra) throws IOException {
        Path model = dir.resolve("model");
        if (!Files.exists(model)) {
            TinyModels.save(model, 3);
        }
        Path conf = Files.writeString(dir.resolve(algorithm + ".conf"), RunCommandTest.SMALL + extra);
        return CliRunner.run("run", "--config", conf.toString(), "--model", model.toString(), "--out",
                dir.resolve("runs").toString(), "--run-id", algorithm, "--steps", "2", "--algorithm", algorithm);
    }

    private List<LearnerEvent> events(String id) throws IOException {
        List<LearnerEvent> out = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("runs/" + id + "/metrics.jsonl"))) {
            LearnerEvent.Builder b = LearnerEvent.newBuilder();
            JsonFormat.parser().merge(line, b);
            out.add(b.build());
        }
        return out;
    }

    @Test
    void raftRunsFromTheCommandLineAndLogsItsKeptFraction() throws IOException {
        CliRunner r = run("raft", "troupe.learner.raft { selection = top-fraction, fraction = 0.5 }\n");
        assertEquals(0, r.status(), r.err());
        List<LearnerEvent> ev = events("raft");
        assertEquals(List.of(1L, 2L), ev.stream().map(LearnerEvent::getStep).toList());
        for (LearnerEvent e : ev) {
            RankingStats k = e.getRanking();
            assertEquals("raft", k.getAlgorithm());
            // 2 prompts × group 4 = 8 samples, half kept
            assertEquals(4, k.getKept());
            assertEquals(0.5, k.getKeptFraction(), 0);
            assertTrue(Double.isFinite(k.getLossValue()) && k.getLossValue() > 0, "NLL " + k.getLossValue());
            assertEquals(k.getLossValue(), e.getLoss().getTotal(), 1e-12);
            assertFalse(e.hasPreference());
        }
    }

    @Test
    void proRunsFromTheCommandLineAndLogsItsGroups() throws IOException {
        CliRunner r = run("pro", "troupe.learner.pro.dynamic-temperature = true\n");
        assertEquals(0, r.status(), r.err());
        for (LearnerEvent e : events("pro")) {
            RankingStats k = e.getRanking();
            assertEquals("pro", k.getAlgorithm());
            assertEquals(2, k.getGroups() + k.getGroupsSkipped(), "two prompts per step");
            assertTrue(Double.isFinite(k.getLossValue()));
            assertEquals(k.getLossValue(), e.getLoss().getTotal(), 1e-12);
        }
    }

    @Test
    void gspoAndCispoRunAsPolicyGradientWithTheirLoss() throws IOException {
        for (String name : List.of("gspo", "cispo")) {
            CliRunner r = run(name, "");
            assertEquals(0, r.status(), r.err());
            for (LearnerEvent e : events(name)) {
                assertFalse(e.hasRanking());
                assertTrue(Double.isFinite(e.getLoss().getPolicy()), name);
                assertTrue(e.getClip().getClipFraction() >= 0 && e.getClip().getClipFraction() <= 1, name);
            }
        }
    }

    @Test
    void configCheckAcceptsTheKnobsAndTheAliasesAndNamesAnUnknownAlgorithm() throws IOException {
        Path ok = Files.writeString(dir.resolve("ok.conf"), """
                troupe.learner.algorithm = grpo
                troupe.learner.raft { selection = threshold, threshold = 0.7, fraction = 0.5 }
                troupe.learner.pro { dynamic-temperature = true, sft-beta = 0.1 }
                troupe.learner.policy-loss.gspo { clip-low = 2e-4, clip-high = 3e-4 }
                troupe.learner.policy-loss.cispo.clip-high = 4.0
                """);
        CliRunner good = CliRunner.run("config", "check", ok.toString());
        assertEquals(0, good.status(), good.err());
        Path bad = Files.writeString(dir.resolve("bad.conf"), "troupe.learner.algorithm = rafts\n");
        CliRunner r = CliRunner.run("config", "check", bad.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("troupe.learner.algorithm") && r.err().contains("raft")
                && r.err().contains("cispo") && r.err().contains("grpo"), r.err());
        Path knob = Files.writeString(dir.resolve("knob.conf"), "troupe.learner.raft.fraction = 1.5\n");
        CliRunner k = CliRunner.run("config", "check", knob.toString());
        assertEquals(2, k.status());
        assertTrue(k.err().contains("troupe.learner.raft.fraction"), k.err());
        Path single = Files.writeString(dir.resolve("single.conf"),
                "troupe.learner.algorithm = pro\ntroupe.pipeline.group-size = 1\n");
        CliRunner g = CliRunner.run("config", "check", single.toString());
        assertEquals(2, g.status());
        assertTrue(g.err().contains("troupe.pipeline.group-size"), g.err());
    }
}
