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
import troupe.core.reward.Direction;
import troupe.core.reward.Objective;
import troupe.core.rollout.RolloutBatch;
import troupe.core.rollout.Sample;
import troupe.core.rollout.SamplingParams;
import troupe.core.rollout.ScorerFault;
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
