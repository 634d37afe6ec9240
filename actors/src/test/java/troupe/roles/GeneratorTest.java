package troupe.roles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import troupe.cluster.bulk.BulkChannel;
import troupe.cluster.bulk.BulkRef;
import troupe.core.engine.WeightUpdate;
import troupe.testing.FixedRolloutEngine;

class GeneratorTest {
    static ActorTestKit kit;

    @BeforeAll
    static void start() {
        kit = RoleTestKit.startCluster();
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    private ActorRef<Generator.Command> spawn(FixedRolloutEngine engine) {
        return kit.spawn(Generator.create(engine), "generator-" + System.nanoTime(), DispatcherSelector.blocking());
    }

    @Test
    void generatesGroupsWithTheLoadedPolicyVersion() {
        ActorRef<Generator.Command> g = spawn(new FixedRolloutEngine());
        TestProbe<Generator.GenerateReply> probe = kit.createTestProbe();
        g.tell(new Generator.Generate(RoleTestKit.request(7), probe.ref()));
        Generator.BatchGenerated out = probe.expectMessageClass(Generator.BatchGenerated.class);
        assertEquals(7, out.batch().batchId());
        assertEquals(0, out.batch().policyVersion());
        assertEquals(4, out.batch().size());
        assertEquals(List.of(0L, 0L, 1L, 1L), out.batch().samples().stream().map(s -> s.groupId()).toList());
    }

    @Test
    void appliesAWeightUpdateOnlyBetweenBatches() {
        CountDownLatch release = new CountDownLatch(1);
        FixedRolloutEngine engine = new FixedRolloutEngine().holdUntil(release);
        ActorRef<Generator.Command> g = spawn(engine);
        TestProbe<Generator.GenerateReply> batches = kit.createTestProbe();
        TestProbe<Generator.WeightsReply> weights = kit.createTestProbe();

        g.tell(new Generator.Generate(RoleTestKit.request(1), batches.ref()));
        g.tell(new Generator.ApplyWeights(WeightUpdate.of(1, List.of(new byte[] {1})), weights.ref()));
        g.tell(new Generator.Generate(RoleTestKit.request(2), batches.ref()));
        weights.expectNoMessage(Duration.ofMillis(200)); // batch 1 is still being sampled
        release.countDown();

        assertEquals(0, batches.expectMessageClass(Generator.BatchGenerated.class).batch().policyVersion());
        assertEquals(new Generator.WeightsApplied(1), weights.receiveMessage());
        assertEquals(1, batches.expectMessageClass(Generator.BatchGenerated.class).batch().policyVersion());
        assertEquals(0, engine.overlaps.get());
    }

    @Test
    void fetchesWeightsOverTheBulkChannelCheckingVersionAndChecksum() throws Exception {
        FixedRolloutEngine engine = new FixedRolloutEngine();
        ActorRef<Generator.Command> g = spawn(engine);
        TestProbe<Generator.WeightsReply> weights = kit.createTestProbe();
        BulkChannel bulk = BulkChannel.get(kit.system());
        WeightUpdate u = WeightUpdate.of(3, List.of(new byte[300_000], new byte[] {1, 2})); // > one socket buffer
        g.tell(new Generator.FetchWeights(3, u.checksum(), bulk.offer(u), Generator.SAME_INCARNATION, weights.ref()));
        assertEquals(new Generator.WeightsApplied(3), weights.receiveMessage(Duration.ofSeconds(10)));
        assertEquals(3, engine.policyVersion());

        WeightUpdate v5 = WeightUpdate.of(5, List.of(new byte[] {9}));
        g.tell(new Generator.FetchWeights(4, v5.checksum(), bulk.offer(v5), Generator.SAME_INCARNATION,
                weights.ref()));
        var wrong = weights.expectMessageClass(Generator.WeightsRejected.class, Duration.ofSeconds(10));
        assertTrue(wrong.reason().contains("held version 5"), wrong.reason());
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        g.tell(new Generator.FetchWeights(6, 1, new BulkRef("127.0.0.1", closed, 1, 2), Generator.SAME_INCARNATION,
                weights.ref()));
        var gone = weights.expectMessageClass(Generator.WeightsRejected.class, Duration.ofSeconds(10));
        assertTrue(gone.reason().startsWith("fetch failed"), gone.reason());
        assertEquals(3, gone.loadedVersion());
    }

    @Test
    void rejectsACorruptUpdateAndAcknowledgesAnOlderOne() {
        FixedRolloutEngine engine = new FixedRolloutEngine();
        ActorRef<Generator.Command> g = spawn(engine);
        TestProbe<Generator.WeightsReply> weights = kit.createTestProbe();

        g.tell(new Generator.ApplyWeights(new WeightUpdate(3, List.of(new byte[] {1}), 42), weights.ref()));
        Generator.WeightsRejected rejected = weights.expectMessageClass(Generator.WeightsRejected.class);
        assertEquals(0, rejected.loadedVersion());

        g.tell(new Generator.ApplyWeights(WeightUpdate.of(2, List.of(new byte[] {2})), weights.ref()));
        assertEquals(new Generator.WeightsApplied(2), weights.receiveMessage());
        g.tell(new Generator.ApplyWeights(WeightUpdate.of(1, List.of(new byte[] {1})), weights.ref()));
        assertEquals(new Generator.WeightsApplied(2), weights.receiveMessage());
        assertEquals(List.of(2L), engine.appliedVersions);
    }

    @Test
    void loadsChunkedWeightsOnlyWhenEveryChunkArrivedAndTheChecksumHolds() {
        FixedRolloutEngine engine = new FixedRolloutEngine();
        ActorRef<Generator.Command> g = spawn(engine);
        TestProbe<Generator.WeightsReply> weights = kit.createTestProbe();
        TestProbe<Generator.GenerateReply> batches = kit.createTestProbe();
        WeightUpdate u = WeightUpdate.of(1, List.of(new byte[] {1}, new byte[] {2}, new byte[] {3}));

        // Out of order, with a batch in between: it is sampled by version 0, not a partial snapshot.
        g.tell(new Generator.LoadWeightChunk(1, u.checksum(), 2, 3, u.chunks().get(2), weights.ref()));
        assertEquals(new Generator.ChunkReceived(1, 2), weights.receiveMessage());
        g.tell(new Generator.Generate(RoleTestKit.request(1), batches.ref()));
        assertEquals(0, batches.expectMessageClass(Generator.BatchGenerated.class).batch().policyVersion());
        g.tell(new Generator.LoadWeightChunk(1, u.checksum(), 0, 3, u.chunks().get(0), weights.ref()));
        assertEquals(new Generator.ChunkReceived(1, 0), weights.receiveMessage());
        g.tell(new Generator.LoadWeightChunk(1, u.checksum(), 1, 3, u.chunks().get(1), weights.ref()));
        assertEquals(new Generator.WeightsApplied(1), weights.receiveMessage());

        // A corrupt snapshot is rejected whole; the loaded version stays.
        g.tell(new Generator.LoadWeightChunk(2, 42, 0, 1, new byte[] {9}, weights.ref()));
        assertEquals(1, weights.expectMessageClass(Generator.WeightsRejected.class).loadedVersion());
        assertEquals(List.of(1L), engine.appliedVersions);
    }

    @Test
    void weightsOfANewLearnerIncarnationReplaceNewerOnesAndThenFollowTheVersionRule() {
        FixedRolloutEngine engine = new FixedRolloutEngine();
        ActorRef<Generator.Command> g = spawn(engine);
        TestProbe<Generator.WeightsReply> weights = kit.createTestProbe();

        g.tell(new Generator.ApplyWeights(WeightUpdate.of(5, List.of(new byte[] {5})), 11, weights.ref()));
        assertEquals(new Generator.WeightsApplied(5), weights.receiveMessage());
        g.tell(new Generator.ApplyWeights(WeightUpdate.of(3, List.of(new byte[] {3})), 11, weights.ref()));
        assertEquals(new Generator.WeightsApplied(5), weights.receiveMessage(), "same learner: older is ignored");

        // A learner resumed from the checkpoint of version 3 (a new incarnation) sends chunks of version 3.
        WeightUpdate resumed = WeightUpdate.of(3, List.of(new byte[] {1}, new byte[] {2}));
        g.tell(new Generator.LoadWeightChunk(3, resumed.checksum(), 0, 2, resumed.chunks().get(0), 22, weights.ref()));
        assertEquals(new Generator.ChunkReceived(3, 0), weights.receiveMessage());
        g.tell(new Generator.LoadWeightChunk(3, resumed.checksum(), 1, 2, resumed.chunks().get(1), 22, weights.ref()));
        assertEquals(new Generator.WeightsApplied(3), weights.receiveMessage());

        g.tell(new Generator.ApplyWeights(WeightUpdate.of(2, List.of(new byte[] {2})), 22, weights.ref()));
        assertEquals(new Generator.WeightsApplied(3), weights.receiveMessage(), "the new learner's rule is the version");
        assertEquals(List.of(5L, 3L), engine.appliedVersions);
    }

    @Test
    void holdsARequestUntilItsVersionIsLoadedButNotPastAFailedUpdateOfIt() {
        FixedRolloutEngine engine = new FixedRolloutEngine();
        ActorRef<Generator.Command> g = spawn(engine);
        TestProbe<Generator.GenerateReply> batches = kit.createTestProbe();
        TestProbe<Generator.WeightsReply> weights = kit.createTestProbe();

        g.tell(new Generator.Generate(RoleTestKit.request(1), 1, batches.ref()));
        batches.expectNoMessage(Duration.ofMillis(200)); // version 1 is not here yet
        WeightUpdate u = WeightUpdate.of(1, List.of(new byte[] {1}, new byte[] {2}));
        g.tell(new Generator.LoadWeightChunk(1, u.checksum(), 0, 2, u.chunks().get(0), weights.ref()));
        assertEquals(new Generator.ChunkReceived(1, 0), weights.receiveMessage());
        batches.expectNoMessage(Duration.ofMillis(100)); // nor from half a snapshot
        g.tell(new Generator.LoadWeightChunk(1, u.checksum(), 1, 2, u.chunks().get(1), weights.ref()));
        assertEquals(new Generator.WeightsApplied(1), weights.receiveMessage());
        assertEquals(1, batches.expectMessageClass(Generator.BatchGenerated.class).batch().policyVersion());

        // The update it waits for arrives corrupt: it samples with what it has (the learner drops it as stale).
        g.tell(new Generator.Generate(RoleTestKit.request(2), 2, batches.ref()));
        batches.expectNoMessage(Duration.ofMillis(100));
        g.tell(new Generator.ApplyWeights(new WeightUpdate(2, List.of(new byte[] {1}), 42), weights.ref()));
        weights.expectMessageClass(Generator.WeightsRejected.class);
        assertEquals(1, batches.expectMessageClass(Generator.BatchGenerated.class).batch().policyVersion());
        assertEquals(List.of(1L), engine.appliedVersions);
    }

    @Test
    void aRequestWhoseVersionNeverArrivesIsSampledAfterTheWait() {
        ActorRef<Generator.Command> g = kit.spawn(Generator.create(new FixedRolloutEngine(), Duration.ofMillis(300)),
                "generator-" + System.nanoTime(), DispatcherSelector.blocking());
        TestProbe<Generator.GenerateReply> batches = kit.createTestProbe();
        g.tell(new Generator.Generate(RoleTestKit.request(1), 3, batches.ref()));
        batches.expectNoMessage(Duration.ofMillis(100));
        assertEquals(0, batches.expectMessageClass(Generator.BatchGenerated.class, Duration.ofSeconds(5))
                .batch().policyVersion());
    }

    @Test
    void afterALearnerRestartARequestWaitsForTheNewLearnersVersionNotTheOldOnes() {
        FixedRolloutEngine engine = new FixedRolloutEngine();
        ActorRef<Generator.Command> g = spawn(engine);
        TestProbe<Generator.GenerateReply> batches = kit.createTestProbe();
        TestProbe<Generator.WeightsReply> weights = kit.createTestProbe();
        g.tell(new Generator.ApplyWeights(WeightUpdate.of(6, List.of(new byte[] {6})), 11, weights.ref()));
        assertEquals(new Generator.WeightsApplied(6), weights.receiveMessage());

        // Resumed from version 4: its next permit asks for version 5, which the old learner had offered.
        g.tell(new Generator.ApplyWeights(WeightUpdate.of(4, List.of(new byte[] {4})), 22, weights.ref()));
        assertEquals(new Generator.WeightsApplied(4), weights.receiveMessage());
        g.tell(new Generator.Generate(RoleTestKit.request(1), 5, batches.ref()));
        batches.expectNoMessage(Duration.ofMillis(200));
        g.tell(new Generator.ApplyWeights(WeightUpdate.of(5, List.of(new byte[] {5})), 22, weights.ref()));
        assertEquals(new Generator.WeightsApplied(5), weights.receiveMessage());
        assertEquals(5, batches.expectMessageClass(Generator.BatchGenerated.class).batch().policyVersion());
    }
}
