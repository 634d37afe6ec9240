package troupe.cluster.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.Test;
import troupe.config.TroupeSettings;
import troupe.core.config.SettingsException;
import troupe.pipeline.RunEndNotice;
import troupe.testing.TestConfig;

/** A role node told that the run ended exits or stays, as troupe.node.after-run says. */
class RoleNodeAfterRunTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void afterRunIsReadFromTheNodeBlockAndABadValueNamesTheKey() {
        assertEquals(AfterRun.WAIT, AfterRun.fromConfig(TestConfig.cluster()));
        assertEquals(AfterRun.EXIT, AfterRun.fromConfig(
                ConfigFactory.parseString("troupe.node.after-run = exit").withFallback(TestConfig.cluster())));
        SettingsException e = assertThrows(SettingsException.class, () -> AfterRun.fromConfig(
                ConfigFactory.parseString("troupe.node.after-run = linger").withFallback(TestConfig.cluster())));
        assertTrue(e.getMessage().contains("troupe.node.after-run"), e.getMessage());
    }

    @Test
    void exitLeavesTheClusterAndStopsTheNode() throws Exception {
        ActorTestKit kit = startNode(AfterRun.EXIT);
        try {
            endRun(kit);
            kit.system().getWhenTerminated().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } finally {
            kit.shutdownTestKit();
        }
    }

    @Test
    void waitKeepsTheNodeUp() throws Exception {
        ActorTestKit kit = startNode(AfterRun.WAIT);
        try {
            endRun(kit);
            // still registered and alive after the notice: the next learner finds it
            Thread.sleep(1000);
            assertFalse(kit.system().getWhenTerminated().toCompletableFuture().isDone());
            assertEquals(1, find(kit).getServiceInstances(RunEndNotice.KEY).size());
        } finally {
            kit.shutdownTestKit();
        }
    }

    private static ActorTestKit startNode(AfterRun afterRun) {
        ActorTestKit kit = ActorTestKit.create(TestConfig.cluster());
        Cluster cluster = Cluster.get(kit.system());
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
        TroupeSettings settings = TroupeSettings.fromConfig(TestConfig.cluster());
        kit.spawn(RoleNode.create(new RoleNode.Hosted(List.of(), null, List.of()), settings.pipeline(), afterRun));
        return kit;
    }

    /** Waits for the node's registration (it registers once Up), then tells it the run ended. */
    private static void endRun(ActorTestKit kit) {
        TestProbe<Void> probe = kit.createTestProbe();
        ActorRef<RunEndNotice.RunEnded> node = probe.awaitAssert(WAIT, () -> {
            var nodes = find(kit).getServiceInstances(RunEndNotice.KEY);
            assertEquals(1, nodes.size());
            return nodes.iterator().next();
        });
        node.tell(new RunEndNotice.RunEnded("it", 12));
    }

    private static Receptionist.Listing find(ActorTestKit kit) {
        TestProbe<Receptionist.Listing> probe = kit.createTestProbe();
        kit.system().receptionist().tell(Receptionist.find(RunEndNotice.KEY, probe.getRef()));
        return probe.receiveMessage(WAIT);
    }
}
