package troupe.pipeline;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import troupe.proto.v1.LearnerEvent;
import troupe.proto.v1.ObjectiveStats;
import troupe.testing.CountingLearnerEngine;
import troupe.testing.Doubles;
import troupe.testing.FixedRolloutEngine;
import troupe.testing.TestConfig;

class PipelineBehaviourTest {

    @TempDir
    Path dir;

    private static List<String> names(LearnerEvent e) {
        return e.getObjectivesList().stream().map(ObjectiveStats::getName).toList();
    }

    /** Samples generated − trained while the run is going, every few milliseconds. */
    private static int maxInFlightWhileRunning(Run run, FixedRolloutEngine[] gens, CountingLearnerEngine learner)
            throws InterruptedException {
        int max = 0;
        while (!run.result().toCompletableFuture().isDone()) {
            int generated = 0;
            for (FixedRolloutEngine g : gens) {
                generated += g.generated.get();
            }
            max = Math.max(max, generated - learner.trained.get());
            Thread.sleep(5);
        }
        return max;
    }

    @Test
    void slowLearnerSlowsSamplingAndBoundsBatchesInFlight() throws Exception {
        // Stages could hold more than the permits allow (2 generating + 2 buffered + ...), so the
        // permit bound max-policy-lag + 1 is what must hold while the learner is the bottleneck.
        Config cfg = TestConfig.run(dir, """
                troupe.run.steps = 12
                troupe.pipeline { max-policy-lag = 3, generator-parallelism = 2, buffer-size = 2 }
                """);
        int bound = TestConfig.settings(cfg).pipeline().maxInFlight();
        assertEquals(4, bound);
        CountingLearnerEngine learner = new CountingLearnerEngine().delay(120);
        FixedRolloutEngine a = new FixedRolloutEngine();
        FixedRolloutEngine b = new FixedRolloutEngine();
        Run run = RunTest.start(cfg, "backpressure", List.of(a, b), learner, List.of(Doubles.constant("x", 1f)));

        int max = maxInFlightWhileRunning(run, new FixedRolloutEngine[] {a, b}, learner);
        Run.Result result = run.result().toCompletableFuture().get(30, SECONDS);

        assertEquals(12, result.steps());
        assertTrue(max <= bound, "generated - trained reached " + max + " > " + bound);
        assertTrue(max >= 3, "generation should run ahead of a slow learner when the lag allows, saw " + max);
        assertTrue(a.generated.get() > 0 && b.generated.get() > 0, "both generators took batches");
        assertEquals(12, a.generated.get() + b.generated.get(), "no batch beyond the run's steps");
        assertEquals(0, result.staleBatchesDropped(), "lag stays within max-policy-lag");
    }

    @Test
    void strictlyOnPolicyRunKeepsOneBatchInFlight() throws Exception {
        Config cfg = TestConfig.run(dir, """
                troupe.run.steps = 6
                troupe.pipeline { max-policy-lag = 0, generator-parallelism = 2, buffer-size = 2 }
                """);
        CountingLearnerEngine learner = new CountingLearnerEngine().delay(60);
        FixedRolloutEngine a = new FixedRolloutEngine();
        FixedRolloutEngine b = new FixedRolloutEngine();
        Run run = RunTest.start(cfg, "on-policy", List.of(a, b), learner, List.of(Doubles.constant("x", 1f)));

        int max = maxInFlightWhileRunning(run, new FixedRolloutEngine[] {a, b}, learner);
        run.result().toCompletableFuture().get(30, SECONDS);

        assertTrue(max <= 1, "max-policy-lag 0 admits one batch at a time, saw " + max);
        assertEquals(0, a.overlaps.get() + b.overlaps.get(), "weights never loaded mid-batch");
    }

    @Test
    void batchesFromAGeneratorThatMissedWeightsAreDroppedAndCounted() throws Exception {
        Config cfg = TestConfig.run(dir, "troupe.run.steps = 6\ntroupe.pipeline.max-policy-lag = 0");
        CountingLearnerEngine learner = new CountingLearnerEngine();
        // Ignores every second update: the batch it samples next lags the learner by one version.
        FixedRolloutEngine sticky = new FixedRolloutEngine().ignoreEveryNthUpdate(2);
        Run run = RunTest.start(cfg, "stale", List.of(sticky), learner, List.of(Doubles.constant("x", 1f)));
        LinkedBlockingQueue<LearnerEvent> events = new LinkedBlockingQueue<>();
        run.events().runForeach(events::add, run.system());

        Run.Result result = run.result().toCompletableFuture().get(30, SECONDS);

        assertEquals(6, result.steps());
        assertTrue(result.staleBatchesDropped() >= 2, "dropped " + result.staleBatchesDropped());
        assertEquals(6, learner.trained.get());
        List<LearnerEvent> seen = new ArrayList<>(events);
        assertEquals(6, seen.size());
        assertTrue(seen.stream().allMatch(e -> e.getPolicyLag() == 0), "only on-policy batches were trained");
        assertEquals(result.staleBatchesDropped(), seen.get(5).getStaleBatchesDropped(),
                "events report the drops so far");
        assertEquals(6 + result.staleBatchesDropped(), sticky.generated.get());
    }

    @Test
    void scorerRegisteredMidRunJoinsWithinTwoStepsAndOneThatLeavesIsRemoved() throws Exception {
        Config cfg = TestConfig.run(dir, "troupe.run.steps = 12");
        CountingLearnerEngine learner = new CountingLearnerEngine().delay(80);
        Run run = RunTest.start(cfg, "join", List.of(new FixedRolloutEngine()), learner,
                List.of(Doubles.constant("base", 1f)));
        LinkedBlockingQueue<LearnerEvent> events = new LinkedBlockingQueue<>();
        run.events().runForeach(events::add, run.system());

        LearnerEvent before = next(events);
        while (before.getStep() < 2) {
            before = next(events);
        }
        run.addScorer(Doubles.constant("newcomer", 0.25f), java.util.OptionalDouble.of(0.3));
        LearnerEvent joined = next(events);
        while (!names(joined).contains("newcomer")) {
            joined = next(events);
        }
        assertTrue(joined.getStep() <= before.getStep() + 2,
                "registered after step " + before.getStep() + ", first in the vector at step " + joined.getStep());
        assertEquals(List.of("base", "newcomer"), names(joined));
        assertTrue(learner.added.contains("newcomer"), "learner engine was told addObjective");
        assertEquals(0.3, learner.shares.get("newcomer"), "with the initial share given to addScorer");

        run.removeScorer("newcomer");
        LearnerEvent left = next(events);
        while (names(left).contains("newcomer")) {
            left = next(events);
        }
        assertTrue(left.getStep() <= joined.getStep() + 3, "left by step " + left.getStep());
        Run.Result result = run.result().toCompletableFuture().get(30, SECONDS);
        assertEquals(12, result.steps());
        assertTrue(learner.removed.contains("newcomer"), "learner engine was told removeObjective");
        assertEquals(List.of("base"), learner.columnsPerStep.get(learner.columnsPerStep.size() - 1));
    }

    @Test
    void throwingAndHangingScorersAreQuarantinedAndTheRunGoesOn() throws Exception {
        Config cfg = TestConfig.run(dir, """
                troupe.run.steps = 6
                troupe.pipeline { quarantine-after = 2, quarantine-probe-interval = 1000, scorer-deadline = 200ms }
                """);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger brokenCalls = new AtomicInteger();
        CountingLearnerEngine learner = new CountingLearnerEngine();
        Run run = RunTest.start(cfg, "quarantine", List.of(new FixedRolloutEngine()), learner, List.of(
                Doubles.constant("good", 1f),
                Doubles.scorer("broken", in -> {
                    brokenCalls.incrementAndGet();
                    throw new IllegalStateException("boom");
                }),
                Doubles.hanging("stuck", release)));
        LinkedBlockingQueue<LearnerEvent> events = new LinkedBlockingQueue<>();
        run.events().runForeach(events::add, run.system());
        try {
            Run.Result result = run.result().toCompletableFuture().get(30, SECONDS);
            assertEquals(6, result.steps());
        } finally {
            release.countDown();
        }
        List<LearnerEvent> seen = new ArrayList<>(events);
        assertEquals(6, seen.size());
        for (LearnerEvent e : seen) {
            assertEquals(List.of("good"), names(e), "step " + e.getStep());
        }
        assertEquals(List.of("broken:exception", "stuck:deadline"), faults(seen.get(0)));
        assertEquals(List.of("broken:exception", "stuck:deadline"), faults(seen.get(1)));
        for (LearnerEvent e : seen.subList(2, 6)) {
            assertEquals(List.of("broken:unavailable", "stuck:unavailable"), faults(e), "step " + e.getStep());
        }
        assertEquals(2, brokenCalls.get(), "a quarantined scorer is skipped");
    }

    private static List<String> faults(LearnerEvent e) {
        return e.getFaultsList().stream().map(f -> f.getObjective() + ":" + f.getKind()).sorted().toList();
    }

    private static LearnerEvent next(LinkedBlockingQueue<LearnerEvent> q) throws InterruptedException {
        LearnerEvent e = q.poll(20, TimeUnit.SECONDS);
        if (e == null) {
            throw new AssertionError("no learner event within 20s");
        }
        return e;
    }

}
