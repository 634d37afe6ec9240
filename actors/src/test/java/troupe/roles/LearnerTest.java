package troupe.roles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import troupe.proto.v1.LearnerEvent;
import troupe.testing.CountingLearnerEngine;
import troupe.testing.FixedRolloutEngine;

class LearnerTest {
    static ActorTestKit kit;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        kit = RoleTestKit.startCluster();
        kit.spawn(Generator.create(new FixedRolloutEngine()), "generator", DispatcherSelector.blocking());
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    private final TestProbe<Learner.Permit> permits = kit.createTestProbe();
    private final TestProbe<Learner.BatchHandled> acks = kit.createTestProbe();
    private final TestProbe<Learner.Finished> finished = kit.createTestProbe();
    private final LinkedBlockingQueue<LearnerEvent> events = new LinkedBlockingQueue<>();

    private ActorRef<Learner.Command> learner(CountingLearnerEngine engine, long steps, int maxLag, int every) {
        LearnerRunSettings s = new LearnerRunSettings("test", steps, maxLag, Duration.ofSeconds(5), every, true,
                dir.resolve("checkpoints"));
        ActorRef<Learner.Command> l = kit.spawn(Learner.create(engine, s, permits.ref(), events::add, finished.ref()),
                "learner-" + System.nanoTime(), DispatcherSelector.blocking());
        l.tell(new Learner.StreamStarted(acks.ref()));
        acks.receiveMessage();
        return l;
    }

    private LearnerEvent nextEvent() throws InterruptedException {
        LearnerEvent e = events.poll(5, TimeUnit.SECONDS);
        assertTrue(e != null, "no event");
        return e;
    }

    @Test
    void trainsPublishesOneEventPerStepAndGrantsTheNextPermitForTheNewVersion() throws Exception {
        CountingLearnerEngine engine = new CountingLearnerEngine();
        ActorRef<Learner.Command> l = learner(engine, 2, 0, 1);
        assertEquals(new Learner.PermitGranted(0), permits.receiveMessage(), "one permit after the initial sync");
        permits.expectNoMessage(Duration.ofMillis(100));

        l.tell(new Learner.Train(RoleTestKit.trainable(1, 0, "len"), acks.ref()));
        acks.receiveMessage();
        LearnerEvent e1 = nextEvent();
        assertEquals(1, e1.getStep());
        assertEquals(1, e1.getPolicyVersion());
        assertEquals("len", e1.getObjectives(0).getName());
        assertEquals(List.of("len"), engine.added);
        assertEquals(new Learner.PermitGranted(1), permits.receiveMessage());

        l.tell(new Learner.Train(RoleTestKit.trainable(2, 1), acks.ref()));
        acks.receiveMessage();
        assertEquals(2, nextEvent().getStep());
        assertEquals(List.of("len"), engine.removed, "a column that vanished without a fault has left the run");
        permits.expectMessageClass(Learner.PermitsClosed.class);

        l.tell(new Learner.StreamCompleted());
        Learner.Finished done = finished.receiveMessage();
        assertEquals(2, done.steps());
        assertEquals(dir.resolve("checkpoints").resolve("step-000000002"), done.lastCheckpoint().orElseThrow());
        assertTrue(Files.readString(done.lastCheckpoint().get().resolve("learner-state.properties"))
                .contains("last-batch-id=2"));
    }

    @Test
    void rejectsABatchWhoseLagExceedsMaxPolicyLagAndCountsIt() throws Exception {
        CountingLearnerEngine engine = new CountingLearnerEngine();
        ActorRef<Learner.Command> l = learner(engine, 5, 0, 0);
        permits.expectMessageClass(Learner.PermitGranted.class);
        l.tell(new Learner.Train(RoleTestKit.trainable(1, 0, "len"), acks.ref()));
        acks.receiveMessage();
        nextEvent();
        permits.expectMessageClass(Learner.PermitGranted.class);

        l.tell(new Learner.Train(RoleTestKit.trainable(2, 0, "len"), acks.ref())); // learner is at version 1
        acks.receiveMessage();
        assertEquals(new Learner.PermitGranted(1), permits.receiveMessage(), "re-admitted after a weight resync");
        TestProbe<Learner.Status> status = kit.createTestProbe();
        l.tell(new Learner.GetStatus(status.ref()));
        Learner.Status s = status.receiveMessage();
        assertEquals(1, s.staleDropped());
        assertEquals(1, s.step());
        assertEquals(1, engine.trained.get());

        l.tell(new Learner.Train(RoleTestKit.trainable(3, 1, "len"), acks.ref()));
        acks.receiveMessage();
        LearnerEvent e = nextEvent();
        assertEquals(2, e.getStep());
        assertEquals(1, e.getStaleBatchesDropped());
        assertEquals(0, e.getPolicyLag());
    }

    @Test
    void pausedLearnerTrainsWhatWasAdmittedButGrantsNoPermitUntilResumed() throws Exception {
        CountingLearnerEngine engine = new CountingLearnerEngine();
        ActorRef<Learner.Command> l = learner(engine, 5, 0, 0);
        permits.expectMessageClass(Learner.PermitGranted.class);
        TestProbe<Learner.Steered> steered = kit.createTestProbe();

        l.tell(new Learner.Pause(steered.ref()));
        assertEquals(new Learner.Steered(Learner.Phase.PAUSED), steered.receiveMessage());
        l.tell(new Learner.Train(RoleTestKit.trainable(1, 0, "len"), acks.ref()));
        acks.receiveMessage();
        assertEquals(1, nextEvent().getStep(), "the batch admitted before the pause is trained");
        permits.expectNoMessage(Duration.ofMillis(300));

        l.tell(new Learner.Resume(steered.ref()));
        assertEquals(new Learner.Steered(Learner.Phase.RUNNING), steered.receiveMessage());
        assertEquals(new Learner.PermitGranted(1), permits.receiveMessage());
    }

    @Test
    void stopClosesThePermitsDropsBatchesOnTheWayAndFinishesWithTheRequestedCheckpoint() throws Exception {
        CountingLearnerEngine engine = new CountingLearnerEngine();
        LearnerRunSettings s = new LearnerRunSettings("test", 10, 0, Duration.ofSeconds(5), 0, false,
                dir.resolve("checkpoints"));
        ActorRef<Learner.Command> l = kit.spawn(Learner.create(engine, s, permits.ref(), events::add, finished.ref()),
                "learner-stop", DispatcherSelector.blocking());
        l.tell(new Learner.StreamStarted(acks.ref()));
        acks.receiveMessage();
        permits.expectMessageClass(Learner.PermitGranted.class);
        l.tell(new Learner.Train(RoleTestKit.trainable(1, 0, "len"), acks.ref()));
        acks.receiveMessage();
        nextEvent();
        permits.expectMessageClass(Learner.PermitGranted.class);

        TestProbe<Learner.Steered> steered = kit.createTestProbe();
        l.tell(new Learner.Stop(true, steered.ref()));
        assertEquals(new Learner.Steered(Learner.Phase.STOPPING), steered.receiveMessage());
        permits.expectMessageClass(Learner.PermitsClosed.class);
        l.tell(new Learner.Train(RoleTestKit.trainable(2, 1, "len"), acks.ref()));
        acks.receiveMessage();
        assertEquals(1, engine.trained.get(), "a batch still on the way is not trained");

        l.tell(new Learner.StreamCompleted());
        Learner.Finished done = finished.receiveMessage();
        assertEquals(1, done.steps());
        assertEquals(dir.resolve("checkpoints").resolve("step-000000001"), done.lastCheckpoint().orElseThrow(),
                "checkpoint forced although checkpoint.on-shutdown is off");
        assertTrue(events.isEmpty(), "no event for the dropped batch");
    }

    @Test
    void writesACheckpointAndSwitchesWeightingBetweenSteps() throws Exception {
        CountingLearnerEngine engine = new CountingLearnerEngine();
        ActorRef<Learner.Command> l = learner(engine, 5, 0, 0);
        permits.expectMessageClass(Learner.PermitGranted.class);
        l.tell(new Learner.Train(RoleTestKit.trainable(1, 0, "len"), acks.ref()));
        acks.receiveMessage();
        nextEvent();

        TestProbe<Learner.CheckpointReply> ck = kit.createTestProbe();
        l.tell(new Learner.WriteCheckpoint(ck.ref()));
        Learner.CheckpointWritten written = (Learner.CheckpointWritten) ck.receiveMessage();
        assertEquals(1, written.step());
        assertTrue(Files.isRegularFile(written.path().resolve("learner-state.properties")));
        l.tell(new Learner.WriteCheckpoint(ck.ref()));
        assertEquals(written, ck.receiveMessage(), "the step already has a checkpoint");

        TestProbe<Learner.WeightingReply> w = kit.createTestProbe();
        l.tell(new Learner.SetWeighting("fixed-linear", java.util.Map.of("len", 2.0), w.ref()));
        assertEquals(new Learner.WeightingSet("fixed-linear", java.util.Map.of("len", 1.0)), w.receiveMessage());
        l.tell(new Learner.SetWeighting("nope", java.util.Map.of(), w.ref()));
        Learner.WeightingRejected no = (Learner.WeightingRejected) w.receiveMessage();
        assertTrue(no.reason().contains("supported"), no.reason());

        TestProbe<Learner.Status> status = kit.createTestProbe();
        l.tell(new Learner.GetStatus(status.ref()));
        Learner.Status st = status.receiveMessage();
        assertEquals("fixed-linear", st.weightingStrategy(), "a refused change keeps the strategy in force");
        assertEquals(Learner.Phase.RUNNING, st.phase());
        assertEquals(written.path(), st.lastCheckpoint().orElseThrow());
    }

    @Test
    void dynamicSamplingDropsAnAllEqualGroupGrantsOneMorePermitAndLedgersBothBatches() throws Exception {
        CountingLearnerEngine engine = new CountingLearnerEngine();
        Path ledger = dir.resolve("batches.tsv");
        LearnerRunSettings s = new LearnerRunSettings("test", 2, 0, Duration.ofSeconds(5), 0, false,
                dir.resolve("checkpoints"), java.util.Optional.empty(), ledger)
                .withDynamicSampling(new troupe.core.algo.dapo.DynamicSamplingSettings(10, ""), 2);
        ActorRef<Learner.Command> l = kit.spawn(Learner.create(engine, s, permits.ref(), events::add, finished.ref()),
                "learner-dapo", DispatcherSelector.blocking());
        l.tell(new Learner.StreamStarted(acks.ref()));
        acks.receiveMessage();
        assertEquals(new Learner.PermitGranted(0), permits.receiveMessage());

        // group 0 scores [1, 1]: no signal, dropped; group 1 [1, 0] kept — 1 of the 2 groups a step needs
        l.tell(new Learner.Train(RoleTestKit.trainable(1, 0, new float[] {1, 1, 1, 0}, "len"), acks.ref()));
        acks.receiveMessage();
        assertEquals(new Learner.PermitGranted(0), permits.receiveMessage(),
                "one more permit for the same step, at the same policy version");
        assertEquals(0, engine.trained.get(), "nothing trained yet");
        assertTrue(events.isEmpty());

        l.tell(new Learner.Train(RoleTestKit.trainable(2, 0, "len"), acks.ref()));
        acks.receiveMessage();
        LearnerEvent e = nextEvent();
        assertEquals(1, e.getStep());
        assertEquals(1, engine.trained.get());
        assertEquals(List.of("b1p1", "b1p1", "b2p0", "b2p0"), engine.promptsPerStep.get(0),
                "the kept group of batch 1 and the first of batch 2; batch 2's second group is surplus");
        assertEquals(2, e.getDynamicSampling().getGenerationBatches());
        assertEquals(List.of(1L, 2L), e.getDynamicSampling().getBatchIdsList());
        assertEquals(1, e.getDynamicSampling().getGroupsDropped());
        assertEquals(2, e.getDynamicSampling().getGroupsKept());
        assertEquals(2, e.getBatchId());
        assertEquals(new Learner.PermitGranted(1), permits.receiveMessage());

        List<String> lines = Files.readAllLines(ledger);
        assertEquals(List.of("filtered\t1\t1\t0\tkept 1 of 2 groups", "trained\t2\t1\t0"), lines);
    }

    @Test
    void waitingForARoleGrantsNoPermitAndSaysWhyUntilTheRoleIsBack() throws Exception {
        CountingLearnerEngine engine = new CountingLearnerEngine();
        ActorRef<Learner.Command> l = learner(engine, 5, 0, 0);
        permits.expectMessageClass(Learner.PermitGranted.class);
        TestProbe<Learner.Status> status = kit.createTestProbe();

        l.tell(new Learner.Waiting("no reward scorer in the cluster"));
        l.tell(new Learner.Train(RoleTestKit.trainable(1, 0, "len"), acks.ref()));
        acks.receiveMessage();
        assertEquals(1, nextEvent().getStep(), "the batch admitted before is trained");
        permits.expectNoMessage(Duration.ofMillis(300));
        l.tell(new Learner.GetStatus(status.ref()));
        Learner.Status waiting = status.receiveMessage();
        assertEquals(Learner.Phase.WAITING, waiting.phase());
        assertEquals("no reward scorer in the cluster", waiting.waiting());

        l.tell(new Learner.Waiting(""));
        assertEquals(new Learner.PermitGranted(1), permits.receiveMessage());
        l.tell(new Learner.GetStatus(status.ref()));
        assertEquals(Learner.Phase.RUNNING, status.receiveMessage().phase());
    }
}
