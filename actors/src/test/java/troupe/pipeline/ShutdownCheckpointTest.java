package troupe.pipeline;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import troupe.proto.v1.LearnerEvent;
import troupe.roles.Checkpoints;
import troupe.testing.CountingLearnerEngine;
import troupe.testing.Doubles;
import troupe.testing.FixedRolloutEngine;
import troupe.testing.TestConfig;

/** Coordinated shutdown (what SIGTERM runs) checkpoints the learner's last completed step. */
class ShutdownCheckpointTest {
    @TempDir
    Path dir;

    @Test
    void coordinatedShutdownStopsTheLearnerAndCheckpointsItsLastStep() throws Exception {
        // No periodic checkpoint: whatever exists afterwards was written by the shutdown.
        Config cfg = TestConfig.run(dir, "troupe.run.steps = 500\ntroupe.checkpoint.every-n-steps = 0");
        CountingLearnerEngine learner = new CountingLearnerEngine().delay(50);
        Run run = RunTest.start(cfg, "sigterm", List.of(new FixedRolloutEngine()), learner,
                List.of(Doubles.constant("len", 1f)));
        LinkedBlockingQueue<LearnerEvent> events = new LinkedBlockingQueue<>();
        run.events().runForeach(events::add, run.system());
        LearnerEvent e;
        do {
            e = events.poll(30, SECONDS);
            assertNotNull(e, "no step within 30 s");
        } while (e.getStep() < 3);

        CoordinatedShutdown.get(run.system()).runAll(CoordinatedShutdown.jvmExitReason())
                .toCompletableFuture().get(60, SECONDS);

        Path folder = dir.resolve("sigterm").resolve("checkpoints");
        List<Path> written;
        try (var s = Files.list(folder)) {
            written = s.filter(p -> p.getFileName().toString().matches("step-\\d{9}")).sorted().toList();
        }
        assertEquals(1, written.size(), "one checkpoint, of the step the learner stopped at: " + written);
        Checkpoints.State state = Checkpoints.read(written.get(0));
        assertEquals(learner.trained.get(), state.step(), "the last completed step, and none trained after it");
        assertTrue(state.step() >= 3 && state.step() < 500, "step " + state.step());
        assertEquals(state.step(), state.policyVersion());
        assertEquals(learner.batchIds.get(learner.batchIds.size() - 1), state.lastBatchId());
    }

    @Test
    void runCloseEndsTheRunWithoutACheckpoint() throws Exception {
        Config cfg = TestConfig.run(dir, "troupe.run.steps = 500\ntroupe.checkpoint.every-n-steps = 0");
        CountingLearnerEngine learner = new CountingLearnerEngine().delay(50);
        Run run = RunTest.start(cfg, "closed", List.of(new FixedRolloutEngine()), learner,
                List.of(Doubles.constant("len", 1f)));
        LinkedBlockingQueue<LearnerEvent> events = new LinkedBlockingQueue<>();
        run.events().runForeach(events::add, run.system());
        assertTrue(events.poll(30, SECONDS) != null, "no step");

        run.close();
        run.system().getWhenTerminated().toCompletableFuture().get(60, SECONDS);
        assertTrue(learner.checkpoints.isEmpty(), "Run.close() writes no checkpoint: " + learner.checkpoints);
    }
}
