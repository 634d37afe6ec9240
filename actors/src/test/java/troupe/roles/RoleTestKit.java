package troupe.roles;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import troupe.core.engine.RolloutRequest;
import troupe.core.reward.Direction;
import troupe.core.reward.Objective;
import troupe.core.rollout.RolloutBatch;
import troupe.core.rollout.Sample;
import troupe.core.rollout.StageTiming;
import troupe.testing.Doubles;
import troupe.testing.FixedRolloutEngine;
import troupe.testing.TestConfig;

/** A one-node cluster test kit (the Receptionist is the cluster one) and batch builders. */
final class RoleTestKit {
    private RoleTestKit() {}

    static ActorTestKit startCluster() {
        ActorTestKit kit = ActorTestKit.create(TestConfig.cluster());
        Cluster cluster = Cluster.get(kit.system());
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
        kit.createTestProbe().awaitAssert(Duration.ofSeconds(10), () -> {
            if (cluster.selfMember().status() != MemberStatus.up()) {
                throw new AssertionError("not up yet");
            }
            return null;
        });
        return kit;
    }

    static RolloutRequest request(long batchId) {
        return new RolloutRequest("test", batchId, List.of(FixedRolloutEngine.prompt(0), FixedRolloutEngine.prompt(1)),
                2, Doubles.SAMPLING);
    }

    /** A batch as the learner receives it: sampled at {@code version}, scored on {@code objectives}, referenced. */
    static RolloutBatch trainable(long batchId, long version, String... objectives) {
        return trainable(batchId, version, new float[] {1, 0, 1, 0}, objectives);
    }

    /** As above, every objective scored {@code column} (samples 0–1 are group 0, prompt "b&lt;id&gt;p0"; 2–3 group 1). */
    static RolloutBatch trainable(long batchId, long version, float[] column, String... objectives) {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            samples.add(Sample.sampled("b" + batchId + "p" + i / 2, i / 2, new int[] {5}, new int[] {1, 2}, new float[] {-1f, -1f},
                    new float[] {-1f, -1f}, false, "q", "a", "test", Map.of()));
        }
        List<Objective> objs = new ArrayList<>();
        float[][] cols = new float[objectives.length][];
        for (int k = 0; k < objectives.length; k++) {
            objs.add(new Objective(objectives[k], Direction.MAXIMIZE));
            cols[k] = column.clone();
        }
        return RolloutBatch.sampled("test", batchId, version, Doubles.SAMPLING, samples, new StageTiming("generate", 1, ""))
                .withRewards(objs, cols, List.of())
                .withReferenceLogprobs(new float[][] {{-1f, -1f}, {-1f, -1f}, {-1f, -1f}, {-1f, -1f}});
    }
}
