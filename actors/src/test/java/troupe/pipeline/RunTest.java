package troupe.pipeline;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import troupe.proto.v1.LearnerEvent;
import troupe.testing.CountingLearnerEngine;
import troupe.testing.Doubles;
import troupe.testing.FixedRolloutEngine;
import troupe.testing.TestConfig;

class RunTest {

    @TempDir
    Path dir;

    static Run start(Config cfg, String runId, List<FixedRolloutEngine> gens, CountingLearnerEngine learner,
            List<troupe.core.reward.RewardScorer> scorers) {
        return Run.start(cfg, TestConfig.settings(cfg), runId, new Run.Components(new Doubles.CountingPrompts(),
                Doubles.SAMPLING, List.copyOf(gens), Doubles.reference(), learner, scorers));
    }

    @Test
    void runsEveryStepPublishesOneEventPerStepAndLogsThemAsJsonLines() throws Exception {
        Config cfg = TestConfig.run(dir, "troupe.run.steps = 5\ntroupe.checkpoint.every-n-steps = 2");
        CountingLearnerEngine learner = new CountingLearnerEngine();
        FixedRolloutEngine gen = new FixedRolloutEngine();
        Run run = start(cfg, "e2e", List.of(gen), learner,
                List.of(Doubles.constant("length", 1f), Doubles.constant("correct", 0.5f)));
        CompletionStage<List<LearnerEvent>> seen = run.events().take(5).runWith(Sink.seq(), run.system());

        Run.Result result = run.result().toCompletableFuture().get(30, SECONDS);
        List<LearnerEvent> events = seen.toCompletableFuture().get(5, SECONDS);

        assertEquals(5, result.steps());
        assertEquals(5, result.policyVersion());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), events.stream().map(LearnerEvent::getStep).toList());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), events.stream().map(LearnerEvent::getPolicyVersion).toList());
        for (LearnerEvent e : events) {
            assertEquals("e2e", e.getRunId());
            assertEquals(0, e.getPolicyLag(), "max-policy-lag 0 is strictly on-policy");
            assertEquals(List.of("correct", "length"), e.getObjectivesList().stream().map(o -> o.getName()).toList());
            assertEquals(5, e.getTotalSteps());
            assertTrue(e.getStageTimingsList().stream().anyMatch(t -> t.getStage().equals("learn")));
            assertTrue(e.getStageTimingsList().stream().anyMatch(t -> t.getStage().equals("reward:length")));
        }
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), learner.batchIds, "batches trained in id order, none lost");
        assertEquals(0, gen.overlaps.get());

        List<String> lines = Files.readAllLines(result.metricsFile());
        assertEquals(5, lines.size());
        for (int i = 0; i < lines.size(); i++) {
            LearnerEvent.Builder b = LearnerEvent.newBuilder();
            JsonFormat.parser().merge(lines.get(i), b);
            assertEquals(i + 1, b.getStep());
        }
        // every 2 steps plus the final one at shutdown
        assertEquals(List.of("step-000000002", "step-000000004", "step-000000005"),
                learner.checkpoints.stream().map(p -> p.getFileName().toString().replace(".tmp", "")).toList());
        assertTrue(Files.isRegularFile(result.lastCheckpoint().orElseThrow().resolve("learner-state.properties")));
    }
}
