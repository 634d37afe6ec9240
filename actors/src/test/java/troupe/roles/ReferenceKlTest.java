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
