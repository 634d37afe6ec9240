package troupe.roles;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import java.time.Duration;
import troupe.cluster.bulk.BulkChannel;
import troupe.cluster.bulk.BulkRef;
import troupe.core.rollout.RolloutBatch;
import troupe.core.rollout.StageTiming;
import troupe.testing.Doubles;
import troupe.testing.FixedRolloutEngine;

class ReferenceKlTest {
    static ActorTestKit kit;

    @BeforeAll
    static void start() {
        kit = RoleTestKit.startCluster();
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    @Test
    void addsReferenceLogprobsAndATiming() {
        ActorRef<ReferenceKl.Command> ref = kit.spawn(ReferenceKl.create(Doubles.reference()), "ref-ok",
                DispatcherSelector.blocking());
        TestProbe<ReferenceKl.ReferenceReply> probe = kit.createTestProbe();
        RolloutBatch batch = new FixedRolloutEngine().generate(RoleTestKit.request(3));
        ref.tell(new ReferenceKl.ComputeReference(batch, probe.ref()));
        RolloutBatch out = probe.expectMessageClass(ReferenceKl.ReferenceComputed.class).applyTo(batch);
        assertArrayEquals(new float[] {-0.6f, -0.6f, -0.6f}, out.samples().get(0).referenceLogprobs());
        assertTrue(out.timings().stream().anyMatch(t -> t.stage().equals("reference")));
        var other = new FixedRolloutEngine().generate(RoleTestKit.request(4));
        assertThrows(IllegalArgumentException.class, () -> new ReferenceKl.ReferenceComputed(3,
                new float[][] {{-0.6f}}, new StageTiming("reference", 1, "n")).applyTo(other), "another batch's");
    }

    /** A reference whose log-probs are −version/10 of the last weights it loaded (−0.6 before any). */
    private static final class MovingReference implements troupe.core.engine.ReferenceEngine {
        private volatile float value = -0.6f;

        @Override
        public float[][] referenceLogprobs(RolloutBatch batch) {
            float[][] out = new float[batch.size()][];
            for (int i = 0; i < out.length; i++) {
                out[i] = new float[batch.samples().get(i).responseTokens().length];
                java.util.Arrays.fill(out[i], value);
            }
            return out;
        }

        @Override
        public void loadWeights(troupe.core.engine.WeightUpdate update) {
            value = -update.version() / 10f;
        }
    }

    @Test
    void scoresWithNewWeightsOnceLoadedAndHoldsBatchesWhileTheyAreFetched() {
        ActorRef<ReferenceKl.Command> ref = kit.spawn(ReferenceKl.create(new MovingReference()), "ref-moving",
                DispatcherSelector.blocking());
        TestProbe<ReferenceKl.ReferenceReply> probe = kit.createTestProbe();
        RolloutBatch batch = new FixedRolloutEngine().generate(RoleTestKit.request(11));
        ref.tell(new ReferenceKl.LoadReference(troupe.core.engine.WeightUpdate.of(2, java.util.List.of(new byte[] {1}))));
        ref.tell(new ReferenceKl.ComputeReference(batch, probe.ref()));
        assertEquals(-0.2f, probe.expectMessageClass(ReferenceKl.ReferenceComputed.class).referenceLogprobs()[0][0]);
        // from another node: a handle; the batch right behind it waits for the weights
        var update = troupe.core.engine.WeightUpdate.of(4, java.util.List.of(new byte[] {1, 2}));
        ref.tell(new ReferenceKl.FetchReference(4, update.checksum(), BulkChannel.get(kit.system()).offer(update)));
        ref.tell(new ReferenceKl.ComputeReference(batch, probe.ref()));
        var computed = probe.expectMessageClass(ReferenceKl.ReferenceComputed.class, Duration.ofSeconds(10));
        assertEquals(-0.4f, computed.referenceLogprobs()[0][0], "scored after the fetched weights were loaded");
    }

    @Test
    void fetchesAnOfferedBatchOverTheBulkChannelFirst() throws Exception {
        ActorRef<ReferenceKl.Command> ref = kit.spawn(ReferenceKl.create(Doubles.reference()), "ref-offered",
                DispatcherSelector.blocking());
        TestProbe<ReferenceKl.ReferenceReply> probe = kit.createTestProbe();
        RolloutBatch batch = new FixedRolloutEngine().generate(RoleTestKit.request(5));
        BulkChannel bulk = BulkChannel.get(kit.system());
        ref.tell(new ReferenceKl.ComputeReferenceOffered(5, bulk.offer(batch), probe.ref()));
        var computed = probe.expectMessageClass(ReferenceKl.ReferenceComputed.class, Duration.ofSeconds(10));
        assertArrayEquals(new float[] {-0.6f, -0.6f, -0.6f}, computed.applyTo(batch).samples().get(0).referenceLogprobs());

        ref.tell(new ReferenceKl.ComputeReferenceOffered(6, bulk.offer(batch), probe.ref())); // holds batch 5
        var wrong = probe.expectMessageClass(ReferenceKl.ReferenceFailed.class, Duration.ofSeconds(10));
        assertTrue(wrong.reason().contains("held batch 5"), wrong.reason());
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        ref.tell(new ReferenceKl.ComputeReferenceOffered(7, new BulkRef("127.0.0.1", closed, 1, 2), probe.ref()));
        var gone = probe.expectMessageClass(ReferenceKl.ReferenceFailed.class, Duration.ofSeconds(10));
        assertEquals(7, gone.batchId());
        assertTrue(gone.reason().startsWith("fetch failed"), gone.reason());
    }

    @Test
    void travelsAsAHandleOnlyToAnActorOnAnotherNode() throws Exception {
        RolloutBatch batch = new FixedRolloutEngine().generate(RoleTestKit.request(8));
        TestProbe<ReferenceKl.ReferenceReply> probe = kit.createTestProbe();
        var request = new ReferenceKl.ComputeReference(batch, probe.ref());
        BulkChannel bulk = BulkChannel.get(kit.system());
        ActorRef<ReferenceKl.Command> local = kit.createTestProbe(ReferenceKl.Command.class).getRef();
        ActorRef<ReferenceKl.Command> remote = org.apache.pekko.actor.typed.ActorRefResolver.get(kit.system())
                .resolveActorRef("pekko://" + kit.system().name() + "@127.0.0.1:1/user/reference");
        assertEquals(request, ReferenceKl.forTarget(request, local, bulk));
        var offered = (ReferenceKl.ComputeReferenceOffered) ReferenceKl.forTarget(request, remote, bulk);
        assertEquals(8, offered.batchId());
        assertEquals(8, bulk.fetch(offered.batch(), RolloutBatch.class).toCompletableFuture()
                .get(10, java.util.concurrent.TimeUnit.SECONDS).batchId(), "the handle holds the batch");
    }

    @Test
    void reportsAnEngineThatReturnsTheWrongShape() {
        ActorRef<ReferenceKl.Command> ref = kit.spawn(ReferenceKl.create(b -> new float[1][1]), "ref-bad",
                DispatcherSelector.blocking());
        TestProbe<ReferenceKl.ReferenceReply> probe = kit.createTestProbe();
        ref.tell(new ReferenceKl.ComputeReference(new FixedRolloutEngine().generate(RoleTestKit.request(4)),
                probe.ref()));
        assertEquals(4, probe.expectMessageClass(ReferenceKl.ReferenceFailed.class).batchId());
    }
}
