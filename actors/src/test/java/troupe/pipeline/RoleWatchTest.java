package troupe.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import troupe.api.RunRoles;
import troupe.proto.v1.RoleReadiness;
import troupe.roles.Generator;
import troupe.roles.Learner;
import troupe.roles.ReferenceKl;
import troupe.roles.RewardScorerHost;
import troupe.testing.TestConfig;

/** The learner is told which role has no live node, and when every role is back. */
class RoleWatchTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private ActorTestKit kit;

    @BeforeEach
    void start() {
        kit = ActorTestKit.create(TestConfig.cluster());
        Cluster cluster = Cluster.get(kit.system());
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
        kit.createTestProbe().awaitAssert(WAIT, () -> {
            assertEquals(MemberStatus.up(), cluster.selfMember().status());
            return null;
        });
    }

    @AfterEach
    void stop() {
        kit.shutdownTestKit();
    }

    @Test
    void reportsMissingRolesAfterTheGraceAndTheirReturnAtOnce() {
        TestProbe<Learner.Command> learner = kit.createTestProbe();
        TestProbe<Generator.Command> generator = kit.createTestProbe();
        TestProbe<ReferenceKl.Command> reference = kit.createTestProbe();
        TestProbe<RewardScorerHost.Command> scorer = kit.createTestProbe();
        var receptionist = kit.system().receptionist();
        receptionist.tell(Receptionist.register(Generator.KEY, generator.ref()));
        receptionist.tell(Receptionist.register(ReferenceKl.KEY, reference.ref()));

        kit.spawn(RoleWatch.create(learner.ref()));
        assertEquals(new Learner.Waiting("no reward scorer in the cluster"), learner.receiveMessage(WAIT));

        receptionist.tell(Receptionist.register(RewardScorerHost.KEY, scorer.ref()));
        assertEquals(new Learner.Waiting(""), learner.receiveMessage(WAIT));

        receptionist.tell(Receptionist.deregister(Generator.KEY, generator.ref()));
        receptionist.tell(Receptionist.deregister(RewardScorerHost.KEY, scorer.ref()));
        Learner.Waiting both = new Learner.Waiting("no generator and no reward scorer in the cluster");
        Learner.Command next = learner.receiveMessage(WAIT);
        if (!next.equals(both)) {
            next = learner.receiveMessage(WAIT); // the two listings changed a moment apart
        }
        assertEquals(both, next);

        receptionist.tell(Receptionist.register(Generator.KEY, generator.ref()));
        assertEquals(new Learner.Waiting("no reward scorer in the cluster"), learner.receiveMessage(WAIT));
    }

    @Test
    void readinessNamesTheRolesPresentAndThoseWaitedFor() {
        TestProbe<Learner.Command> learner = kit.createTestProbe();
        TestProbe<Generator.Command> generator = kit.createTestProbe();
        TestProbe<RewardScorerHost.Command> scorer = kit.createTestProbe();
        var receptionist = kit.system().receptionist();
        receptionist.tell(Receptionist.register(Generator.KEY, generator.ref()));
        receptionist.tell(Receptionist.register(RewardScorerHost.KEY, scorer.ref()));
        AtomicReference<RunRoles> seen = new AtomicReference<>(RunRoles.UNKNOWN);

        kit.spawn(RoleWatch.create(learner.ref(), seen::set));
        assertEquals(new Learner.Waiting("no reference in the cluster"), learner.receiveMessage(WAIT));
        RunRoles roles = seen.get();
        assertEquals(List.of("generator", "reward", "reference"), roles.needed());
        assertEquals(List.of("generator", "reward"), roles.present());
        assertEquals(List.of("reference"), roles.waitingFor());
        assertEquals("present: generator, reward; waiting for: reference", roles.describe());
        // local actors count as this node's
        String self = Cluster.get(kit.system()).selfMember().address().hostPort();
        assertEquals(List.of(self), roles.nodes().get("generator"));
        RoleReadiness proto = roles.toProto();
        assertEquals(List.of("reference"), proto.getWaitingForList());
        assertEquals(Map.of("generator", 1, "reward", 1, "reference", 0), proto.getNodesMap());

        TestProbe<ReferenceKl.Command> reference = kit.createTestProbe();
        receptionist.tell(Receptionist.register(ReferenceKl.KEY, reference.ref()));
        assertEquals(new Learner.Waiting(""), learner.receiveMessage(WAIT));
        assertEquals(List.of("generator", "reward", "reference"), seen.get().present());
        assertEquals(List.of(), seen.get().waitingFor());
    }
}
