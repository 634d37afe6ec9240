package troupe.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.Test;
import troupe.cluster.serialization.KryoSerializer;
import troupe.testing.TestConfig;

/** The learner tells every registered role node that the run ended, unless the node is shutting down. */
class RunEndNoticeTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void everyRegisteredNodeIsToldAndTheNoticeCrossesNodesAsKryo() throws Exception {
        ActorTestKit kit = ActorTestKit.create(TestConfig.cluster());
        try {
            TestProbe<RunEndNotice.RunEnded> a = kit.createTestProbe();
            TestProbe<RunEndNotice.RunEnded> b = kit.createTestProbe();
            TestProbe<Receptionist.Registered> registered = kit.createTestProbe();
            kit.system().receptionist().tell(Receptionist.register(RunEndNotice.KEY, a.getRef(), registered.getRef()));
            kit.system().receptionist().tell(Receptionist.register(RunEndNotice.KEY, b.getRef(), registered.getRef()));
            registered.receiveSeveralMessages(2, WAIT);
            // Registered answers before the listing holds both (the cluster Receptionist batches its updates).
            TestProbe<Receptionist.Listing> found = kit.createTestProbe();
            found.awaitAssert(WAIT, () -> {
                kit.system().receptionist().tell(Receptionist.find(RunEndNotice.KEY, found.getRef()));
                assertEquals(2, found.receiveMessage(WAIT).getServiceInstances(RunEndNotice.KEY).size());
                return null;
            });

            int told = RunEndNotice.announce(kit.system(), "it", 12).toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals(2, told);
            a.expectMessage(new RunEndNotice.RunEnded("it", 12));
            b.expectMessage(new RunEndNotice.RunEnded("it", 12));

            var ser = SerializationExtension.get(Adapter.toClassic(kit.system()));
            RunEndNotice.RunEnded notice = new RunEndNotice.RunEnded("it", 12);
            var serializer = ser.findSerializerFor(notice);
            assertInstanceOf(KryoSerializer.class, serializer);
            assertEquals(notice, ser.deserialize(serializer.toBinary(notice), serializer.identifier(),
                    Serializers.manifestFor(serializer, notice)).get());
        } finally {
            kit.shutdownTestKit();
        }
    }

    @Test
    void aLearnerStoppedByShutdownTellsNobodySoTheRoleNodesWaitForItsResume() throws Exception {
        ActorTestKit kit = ActorTestKit.create(TestConfig.cluster());
        try {
            TestProbe<RunEndNotice.RunEnded> node = kit.createTestProbe();
            kit.system().receptionist().tell(Receptionist.register(RunEndNotice.KEY, node.getRef()));
            CoordinatedShutdown.get(kit.system()).runAll(CoordinatedShutdown.jvmExitReason());
            int told = RunEndNotice.announce(kit.system(), "it", 5).toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals(0, told);
        } finally {
            kit.shutdownTestKit();
        }
    }
}
