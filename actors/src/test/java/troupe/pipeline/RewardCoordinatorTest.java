package troupe.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import troupe.api.remote.RemoteScorerException;
import troupe.core.engine.RolloutRequest;
import troupe.core.reward.Direction;
import troupe.core.reward.Objective;
import troupe.core.reward.ScorerFault;
import troupe.core.rollout.RolloutBatch;
import troupe.roles.RewardScorerHost;
import troupe.testing.Doubles;
import troupe.testing.FixedRolloutEngine;
import troupe.testing.TestConfig;

/** The reward stage with no scorer in the cluster, and with a scorer whose node is lost mid-batch. */
class RewardCoordinatorTest {
    /** Far longer than any wait here: an answer before it did not wait out the deadline. */
    private static final Duration DEADLINE = Duration.ofMinutes(2);

    private ActorTestKit kit;

    @BeforeEach
    void start() {
        kit = ActorTestKit.create(TestConfig.cluster());
        Cluster cluster = Cluster.get(kit.system());
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
        kit.createTestProbe().awaitAssert(Duration.ofSeconds(10), () -> {
            assertEquals(MemberStatus.up(), cluster.selfMember().status());
            return null;
        });
    }

    @AfterEach
    void stop() {
        kit.shutdownTestKit();
    }

    private ActorRef<RewardCoordinator.Command> coordinator() {
        return kit.spawn(RewardCoordinator.create(new RewardCoordinator.Settings(DEADLINE, 3, 2)));
    }

    private void awaitActive(ActorRef<RewardCoordinator.Command> rewards, String... objectives) {
        TestProbe<RewardCoordinator.ScorerList> list = kit.createTestProbe();
        list.awaitAssert(Duration.ofSeconds(10), () -> {
            rewards.tell(new RewardCoordinator.ListScorers(list.ref()));
            assertEquals(List.of(objectives), list.receiveMessage().scorers().stream()
                    .filter(i -> i.state() == RewardCoordinator.State.ACTIVE)
                    .map(RewardCoordinator.ScorerInfo::objective).toList());
            return null;
        });
    }

    private static RolloutBatch batch(long id) {
        return new FixedRolloutEngine().generate(new RolloutRequest("test", id,
                List.of(FixedRolloutEngine.prompt(0), FixedRolloutEngine.prompt(1)), 2, Doubles.SAMPLING));
    }

    @Test
    void batchWithNoScorerInTheClusterIsHeldAndScoredWhenOneJoins() {
        ActorRef<RewardCoordinator.Command> rewards = coordinator();
        TestProbe<RewardCoordinator.BatchScored> scored = kit.createTestProbe();

        rewards.tell(new RewardCoordinator.ScoreBatch(batch(1), scored.ref()));
        scored.expectNoMessage(Duration.ofMillis(500)); // not scored on an empty reward vector

        kit.spawn(RewardScorerHost.create(Doubles.constant("len", 0.5f), 4));
        RolloutBatch out = scored.receiveMessage(Duration.ofSeconds(10)).batch();
        assertEquals(1, out.batchId());
        assertEquals(List.of("len"), out.objectives().stream().map(Objective::name).toList());
        assertTrue(out.faults().isEmpty(), out.faults().toString());
    }

    @Test
    void requestToAScorerThatLeavesTheListingFailsAtOnceNotAtTheDeadline() {
        ActorRef<RewardCoordinator.Command> rewards = coordinator();
        kit.spawn(RewardScorerHost.create(Doubles.constant("len", 0.5f), 4));
        // A host that never answers a Score and stays alive: only the listing says it is gone,
        // as when its node is unreachable.
        TestProbe<RewardScorerHost.Command> host = kit.createTestProbe();
        kit.system().receptionist().tell(Receptionist.register(RewardScorerHost.KEY, host.ref()));
        RewardScorerHost.Describe describe = host.expectMessageClass(RewardScorerHost.Describe.class,
                Duration.ofSeconds(10));
        describe.replyTo().tell(new RewardScorerHost.Described(new Objective("slow", Direction.MAXIMIZE)));
        awaitActive(rewards, "len", "slow");

        TestProbe<RewardCoordinator.BatchScored> scored = kit.createTestProbe();
        rewards.tell(new RewardCoordinator.ScoreBatch(batch(2), scored.ref()));
        host.expectMessageClass(RewardScorerHost.Score.class, Duration.ofSeconds(10));
        kit.system().receptionist().tell(Receptionist.deregister(RewardScorerHost.KEY, host.ref()));

        // Far before the deadline: the batch goes on with the scorer that is still there.
        RolloutBatch out = scored.receiveMessage(Duration.ofSeconds(20)).batch();
        assertEquals(2, out.batchId());
        assertEquals(List.of("len"), out.objectives().stream().map(Objective::name).toList());
        assertTrue(out.faults().isEmpty(), "a scorer that left is not a fault: " + out.faults());
    }

    @Test
    void batchWhoseOnlyScorerLeavesWhileScoringIsHeldForTheNextOne() {
        ActorRef<RewardCoordinator.Command> rewards = coordinator();
        TestProbe<RewardScorerHost.Command> host = kit.createTestProbe();
        kit.system().receptionist().tell(Receptionist.register(RewardScorerHost.KEY, host.ref()));
        host.expectMessageClass(RewardScorerHost.Describe.class, Duration.ofSeconds(10)).replyTo()
                .tell(new RewardScorerHost.Described(new Objective("slow", Direction.MAXIMIZE)));
        TestProbe<RewardCoordinator.BatchScored> scored = kit.createTestProbe();
        rewards.tell(new RewardCoordinator.ScoreBatch(batch(3), scored.ref()));
        host.expectMessageClass(RewardScorerHost.Score.class, Duration.ofSeconds(10));

        kit.system().receptionist().tell(Receptionist.deregister(RewardScorerHost.KEY, host.ref()));
        scored.expectNoMessage(Duration.ofMillis(500)); // no reward vector without a scorer
        kit.spawn(RewardScorerHost.create(Doubles.constant("len", 0.5f), 4));
        RolloutBatch out = scored.receiveMessage(Duration.ofSeconds(10)).batch();
        assertEquals(3, out.batchId());
        assertEquals(List.of("len"), out.objectives().stream().map(Objective::name).toList());
    }

    @Test
    void aRemoteScorersFaultKindReachesTheBatchAndItsColumnsStayInNameOrder() {
        ActorRef<RewardCoordinator.Command> rewards = coordinator();
        kit.spawn(RewardScorerHost.create(Doubles.constant("zeta", 0.25f), 4));
        kit.spawn(RewardScorerHost.create(Doubles.constant("alpha", 0.5f), 4));
        kit.spawn(RewardScorerHost.create(Doubles.scorer("remote", in -> {
            throw new RemoteScorerException(ScorerFault.Kind.DEADLINE, "Score call missed its deadline", null);
        }), 4));
        awaitActiveIgnoringOrder(rewards, "alpha", "remote", "zeta");

        TestProbe<RewardCoordinator.BatchScored> scored = kit.createTestProbe();
        rewards.tell(new RewardCoordinator.ScoreBatch(batch(4), scored.ref()));
        RolloutBatch out = scored.receiveMessage(Duration.ofSeconds(20)).batch();
        assertEquals(List.of("alpha", "zeta"), out.objectives().stream().map(Objective::name).toList());
        assertEquals(0.5f, out.samples().get(0).rewards()[0]);
        assertEquals(List.of(new ScorerFault("remote", ScorerFault.Kind.DEADLINE,
                "RemoteScorerException: Score call missed its deadline")), out.faults());
    }

    private void awaitActiveIgnoringOrder(ActorRef<RewardCoordinator.Command> rewards, String... objectives) {
        TestProbe<RewardCoordinator.ScorerList> list = kit.createTestProbe();
        list.awaitAssert(Duration.ofSeconds(10), () -> {
            rewards.tell(new RewardCoordinator.ListScorers(list.ref()));
            assertEquals(new java.util.TreeSet<>(List.of(objectives)), new java.util.TreeSet<>(list.receiveMessage()
                    .scorers().stream().filter(i -> i.state() == RewardCoordinator.State.ACTIVE)
                    .map(RewardCoordinator.ScorerInfo::objective).toList()));
            return null;
        });
    }
}
