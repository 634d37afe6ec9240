package troupe.cluster.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import troupe.core.engine.Prompt;
import troupe.core.engine.RolloutRequest;
import troupe.core.engine.WeightUpdate;
import troupe.core.reward.Direction;
import troupe.core.reward.Objective;
import troupe.core.reward.ScoreInput;
import troupe.core.rollout.SamplingParams;
import troupe.core.reward.ScorerFault;
import troupe.core.rollout.StageTiming;
import troupe.cluster.bulk.BulkRef;
import troupe.roles.Generator;
import troupe.roles.ReferenceKl;
import troupe.roles.RewardScorerHost;

/** Every message that crosses nodes is bound to Kryo, registered, and survives a round trip. */
class ProtocolSerializationTest {
    static final ActorTestKit kit = ActorTestKit.create(ConfigFactory.parseString(
            "pekko.actor.allow-java-serialization = off").withFallback(ConfigFactory.load()).resolve());

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
    void generatorProtocolRoundTrips() {
        TestProbe<Generator.GenerateReply> batches = kit.createTestProbe();
        TestProbe<Generator.WeightsReply> weights = kit.createTestProbe();
        RolloutRequest req = new RolloutRequest("run", 3,
                List.of(new Prompt("p", "1+1=", new int[] {1, 2}, "arithmetic", Map.of("answer", "2"))), 4,
                new SamplingParams(1f, 0, 1f, 8, 5, false, 1f));
        Generator.Generate g = (Generator.Generate) roundTrip(new Generator.Generate(req, batches.getRef()));
        assertEquals("run", g.request().runId());
        assertArrayEquals(new int[] {1, 2}, g.request().prompts().get(0).tokens());
        assertEquals(Map.of("answer", "2"), g.request().prompts().get(0).metadata());
        g.replyTo().tell(new Generator.GenerationFailed(3, "x"));
        batches.expectMessage(new Generator.GenerationFailed(3, "x"));

        var chunk = (Generator.LoadWeightChunk) roundTrip(
                new Generator.LoadWeightChunk(2, 99, 1, 3, new byte[] {7, 8}, weights.getRef()));
        assertEquals(List.of(2L, 99L, 1, 3), List.of(chunk.version(), chunk.checksum(), chunk.index(), chunk.count()));
        assertArrayEquals(new byte[] {7, 8}, chunk.data());
        WeightUpdate u = WeightUpdate.of(4, List.of(new byte[] {1}, new byte[] {2, 3}));
        var fetch = (Generator.FetchWeights) roundTrip(
                new Generator.FetchWeights(4, 77, new BulkRef("10.0.0.3", 25530, -5, 2), 9, weights.getRef()));
        assertEquals(List.of(4L, 77L, 9L), List.of(fetch.version(), fetch.checksum(), fetch.incarnation()));
        assertEquals(new BulkRef("10.0.0.3", 25530, -5, 2), fetch.weights());
        var apply = (Generator.ApplyWeights) roundTrip(new Generator.ApplyWeights(u, weights.getRef()));
        assertEquals(true, apply.update().intact());
        for (Object reply : List.of(new Generator.ChunkReceived(2, 1), new Generator.WeightsApplied(2),
                new Generator.WeightsRejected(2, 1, "checksum mismatch"), new Generator.GenerationFailed(1, "r"),
                new Generator.BatchOffered(3, new BulkRef("10.0.0.7", 25530, 42, 2)))) {
            assertEquals(reply, roundTrip(reply));
        }
    }

    @Test
    void rewardAndReferenceProtocolsRoundTrip() {
        TestProbe<RewardScorerHost.ScoreReply> scores = kit.createTestProbe();
        var in = new ScoreInput("q", "a", new int[] {1}, new int[] {2, 3}, "t", Map.of("k", "v"), false);
        var score = (RewardScorerHost.Score) roundTrip(new RewardScorerHost.Score(9, List.of(in), scores.getRef()));
        assertArrayEquals(new int[] {2, 3}, score.inputs().get(0).responseTokens());
        var described = new RewardScorerHost.Described(new Objective("len", Direction.MINIMIZE));
        assertEquals(described, roundTrip(described));
        var scored = (RewardScorerHost.Scored) roundTrip(new RewardScorerHost.Scored(9, "len", new float[] {0.5f}));
        assertArrayEquals(new float[] {0.5f}, scored.scores());
        var failed = new RewardScorerHost.ScoringFailed(9, new ScorerFault("len", ScorerFault.Kind.EXCEPTION, "x"));
        assertEquals(failed, roundTrip(failed));
        TestProbe<RewardScorerHost.Described> d = kit.createTestProbe();
        assertInstanceOf(RewardScorerHost.Describe.class, roundTrip(new RewardScorerHost.Describe(d.getRef())));
        var refFailed = new ReferenceKl.ReferenceFailed(4, "oom");
        assertEquals(refFailed, roundTrip(refFailed));
        TestProbe<ReferenceKl.ReferenceReply> refReplies = kit.createTestProbe();
        var offered = (ReferenceKl.ComputeReferenceOffered) roundTrip(
                new ReferenceKl.ComputeReferenceOffered(4, new BulkRef("10.0.0.9", 25530, 7, 2), refReplies.getRef()));
        assertEquals(new BulkRef("10.0.0.9", 25530, 7, 2), offered.batch());
        offered.replyTo().tell(refFailed);
        refReplies.expectMessage(refFailed);
        var computed = (ReferenceKl.ReferenceComputed) roundTrip(new ReferenceKl.ReferenceComputed(4,
                new float[][] {{-0.5f, -2f}}, new StageTiming("reference", 3.5, "node-r")));
        assertEquals(4, computed.batchId());
        assertArrayEquals(new float[] {-0.5f, -2f}, computed.referenceLogprobs()[0]);
        assertEquals(new StageTiming("reference", 3.5, "node-r"), computed.timing());
        var anchor = new ReferenceKl.FetchReference(6, 42, new BulkRef("10.0.0.9", 25530, 8, 2));
        assertEquals(anchor, roundTrip(anchor)); // APO's anchor to a reference on another node
    }
}
