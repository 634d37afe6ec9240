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
import troupe.proto.v1.PreferenceStats;

/** `troupe run` with lcpo, apo and reward-augmented: real engines and actors on a tiny model, a few steps. */
class PreferenceFamilyRunTest {
    private static final String BASE = RunCommandTest.SMALL + """
            troupe.learner.preference { beta = 0.2, min-reward-gap = 0 }
            troupe.learner.optimizer.learning-rate = 1e-2
            """;

    @TempDir
    Path dir;

    private List<LearnerEvent> run(String id, int steps, String config) throws IOException {
        Path model = dir.resolve("model");
        if (!Files.exists(model)) {
            TinyModels.save(model, 3);
        }
        Path conf = Files.writeString(dir.resolve(id + ".conf"), BASE + config);
        CliRunner r = CliRunner.run("run", "--config", conf.toString(), "--model", model.toString(), "--out",
                dir.resolve("runs").toString(), "--run-id", id, "--steps", Integer.toString(steps));
        assertEquals(0, r.status(), r.err());
        List<LearnerEvent> out = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("runs").resolve(id).resolve("metrics.jsonl"))) {
            LearnerEvent.Builder b = LearnerEvent.newBuilder();
            JsonFormat.parser().merge(line, b);
            out.add(b.build());
        }
        assertEquals(steps, out.size());
        return out;
    }

    @Test
    void lcpoReportsItsLabelNoiseEstimateAndRankingMetrics() throws IOException {
        for (LearnerEvent e : run("lcpo", 3, "troupe.learner.algorithm = lcpo\n")) {
            PreferenceStats p = e.getPreference();
            assertEquals("lcpo", p.getAlgorithm());
            assertEquals("dpo", p.getLoss());
            assertTrue(p.getLcpoEpsilon() > 0 && p.getLcpoEpsilon() < 1, "ε = " + p.getLcpoEpsilon());
            assertTrue(p.getRankingAccuracy() >= 0 && p.getRankingAccuracy() <= 1);
            assertEquals(-1, p.getApoIteration());
        }
    }

    /**
     * Iterations of two steps: after step 2 the extrapolated weights are policy and reference, so
     * step 3's batch — sampled by them and scored by the reference actor — has KL 0 to its reference.
     */
    @Test
    void apoReanchorsTheReferenceActorAtEachIterationBoundary() throws IOException {
        List<LearnerEvent> ev = run("apo", 4, "troupe.learner.algorithm = apo\n"
                + "troupe.learner.apo { alpha = 0.3, iteration-steps = 2 }\n");
        assertEquals(List.of(false, true, false, true), ev.stream().map(e -> e.getPreference().getApoBoundary()).toList());
        assertEquals(List.of(0L, 1L, 1L, 2L), ev.stream().map(e -> e.getPreference().getApoIteration()).toList());
        assertEquals(0, ev.get(2).getKl().getTokenMean(), 1e-5, "the reference actor scores with the anchor");
        assertTrue(Math.abs(ev.get(1).getKl().getTokenMean()) > 1e-5,
                "before the boundary the policy has moved from the initial reference: " + ev.get(1).getKl());
    }

    @Test
    void rewardAugmentedTrainsConditionedPairs() throws IOException {
        List<LearnerEvent> ev = run("augmented", 3, "troupe.learner.algorithm = reward-augmented\n");
        for (LearnerEvent e : ev) {
            PreferenceStats p = e.getPreference();
            assertEquals("reward-augmented", p.getAlgorithm());
            assertEquals(p.getPairs(), p.getAugmentedPairs());
            assertEquals(0, p.getPairs() % 2, "two conditioned pairs per scored pair");
        }
        assertTrue(ev.stream().mapToInt(e -> e.getPreference().getPairs()).sum() > 0, "some step had a pair");
        assertTrue(Double.isNaN(ev.get(0).getPreference().getLcpoEpsilon()));
    }

    @Test
    void configCheckNamesKtoUnderLcpo() throws IOException {
        Path ok = Files.writeString(dir.resolve("ok.conf"), "troupe.learner.algorithm = apo\n");
        assertEquals(0, CliRunner.run("config", "check", ok.toString()).status());
        Path bad = Files.writeString(dir.resolve("bad.conf"),
                "troupe.learner.algorithm = lcpo\ntroupe.learner.preference.loss = kto\n");
        CliRunner r = CliRunner.run("config", "check", bad.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("troupe.learner.preference.loss"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        Path template = Files.writeString(dir.resolve("template.conf"),
                "troupe.learner.reward-augmented.template = \"no placeholders\"\n");
        CliRunner t = CliRunner.run("config", "check", template.toString());
        assertEquals(2, t.status());
        assertTrue(t.err().contains("troupe.learner.reward-augmented.template"), t.err());
    }
}
