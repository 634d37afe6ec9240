package troupe.cluster.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import troupe.cluster.TestBatches;
import troupe.core.reward.Direction;
import troupe.core.reward.Objective;
import troupe.core.rollout.RolloutBatch;
import troupe.core.rollout.Sample;
import troupe.core.rollout.SamplingParams;
import troupe.core.reward.ScorerFault;
import troupe.core.rollout.StageTiming;

class KryoSerializerTest {
    static final ActorTestKit kit = ActorTestKit.create(ConfigFactory.parseString(
            "pekko.actor.allow-java-serialization = off\n"
            + "troupe.serialization.kryo-classes += \"" + Ping.class.getName() + "\"\n")
            .withFallback(ConfigFactory.load()).resolve());

    /** A message carrying a typed ActorRef, as actor protocols do. */
    record Ping(String text, ActorRef<String> replyTo) implements TroupeMessage {}

    /** Marked, but deliberately missing from the registration list. */
    record Unlisted(int x) implements TroupeMessage {}

    @AfterAll
    static void shutdown() {
        kit.shutdownTestKit();
    }

    private static Object roundTrip(Object o) {
        Serialization ser = SerializationExtension.get(kit.system());
        var serializer = ser.findSerializerFor(o);
        assertInstanceOf(KryoSerializer.class, serializer, "bound serializer for " + o.getClass());
        byte[] bytes = serializer.toBinary(o);
        return ser.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, o)).get();
    }

    @Test
    void rolloutBatchSurvivesARoundTrip() {
        Sample s = Sample.sampled("p1", 4, new int[] {1, 2, 3}, new int[] {9, 8}, new float[] {-0.5f, -1f},
                new float[] {-0.4f, -1.1f}, true, "1+2=", "3", "arithmetic", Map.of("answer", "3"));
        RolloutBatch b = RolloutBatch.sampled("run", 12, 5, new SamplingParams(0.9f, 5, 0.95f, 16, 3, false, 0.9f),
                        List.of(s), new StageTiming("generate", 3.5, "node-a"))
                .withRewards(List.of(new Objective("accuracy", Direction.MAXIMIZE)), new float[][] {{1f}},
                        List.of(new ScorerFault("length", ScorerFault.Kind.DEADLINE, "10s")))
                .withReferenceLogprobs(new float[][] {{-0.6f, -0.9f}});

        RolloutBatch back = (RolloutBatch) roundTrip(b);

        assertEquals(b.runId(), back.runId());
        assertEquals(b.batchId(), back.batchId());
        assertEquals(b.sampling(), back.sampling());
        assertEquals(b.objectives(), back.objectives());
        assertEquals(b.faults(), back.faults());
        assertEquals(b.timings(), back.timings());
        Sample t = back.samples().get(0);
        assertArrayEquals(s.promptTokens(), t.promptTokens());
        assertArrayEquals(s.behaviourLogprobs(), t.behaviourLogprobs());
        assertArrayEquals(new float[] {-0.6f, -0.9f}, t.referenceLogprobs());
        assertArrayEquals(new float[] {1f}, t.rewards());
        assertEquals(Map.of("answer", "3"), t.metadata());
        assertEquals(true, t.truncated());
    }

    private static RolloutBatch batchOf(int samples, int responseTokens) {
        return TestBatches.batch(samples, responseTokens);
    }

    @Test
    void artery_byteBufferPathWritesIntoTheFrameAndReadsInPlace() {
        Serialization ser = SerializationExtension.get(kit.system());
        KryoSerializer k = (KryoSerializer) ser.findSerializerFor(batchOf(1, 1));
        RolloutBatch b = batchOf(8, 300);
        for (java.nio.ByteBuffer frame : List.of(java.nio.ByteBuffer.allocateDirect(1 << 20),
                java.nio.ByteBuffer.allocate(1 << 20))) {
            frame.put((byte) 42); // Artery's header comes first: the message starts mid-buffer
            k.toBinary(b, frame);
            assertEquals(k.toBinary(b).length + 1, frame.position(), "same bytes as the byte[] path");
            frame.flip().get();
            RolloutBatch back = (RolloutBatch) k.fromBinary(frame, "");
            assertEquals(frame.limit(), frame.position(), "whole message consumed");
            for (int i = 0; i < 8; i++) {
                assertArrayEquals(b.samples().get(i).promptTokens(), back.samples().get(i).promptTokens());
                assertArrayEquals(b.samples().get(i).responseTokens(), back.samples().get(i).responseTokens());
                assertArrayEquals(b.samples().get(i).untruncatedLogprobs(), back.samples().get(i).untruncatedLogprobs());
            }
        }
    }

    @Test
    void artery_messageLargerThanTheFrameOverflowsAsArteryExpects() {
        KryoSerializer k = (KryoSerializer) SerializationExtension.get(kit.system()).findSerializerFor(batchOf(1, 1));
        // Artery logs a BufferOverflowException as "oversized payload" with the frame size
        assertThrows(java.nio.BufferOverflowException.class,
                () -> k.toBinary(batchOf(4, 300), java.nio.ByteBuffer.allocate(1024)));
    }

    @Test
    void truncatedArraysFailBeforeAllocating() {
        KryoSerializer k = (KryoSerializer) SerializationExtension.get(kit.system()).findSerializerFor(batchOf(1, 1));
        byte[] whole = k.toBinary(batchOf(2, 300));
        // the last sample's last log-prob array ends ~60 bytes before the end (strings, timings follow)
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 200);
        var e = assertThrows(com.esotericsoftware.kryo.KryoException.class, () -> k.fromBinary(cut));
        assertEquals(true, e.getMessage().contains("runs past the end"), e.getMessage());
    }

    @Test
    void typedActorRefsResolveBackToTheSameActor() {
        TestProbe<String> probe = kit.createTestProbe();
        Ping back = (Ping) roundTrip(new Ping("hi", probe.getRef()));
        back.replyTo().tell("pong");
        probe.expectMessage("pong");
        assertEquals("hi", back.text());
    }

    @Test
    void unregisteredClassFailsNamingIt() {
        var e = assertThrows(IllegalArgumentException.class, () -> roundTrip(new Unlisted(1)));
        assertEquals(true, e.getMessage().contains("Unlisted"), e.getMessage());
    }
}
