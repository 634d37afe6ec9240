package troupe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import troupe.cluster.node.NodeConfig;
import troupe.cluster.node.NodeSettings;
import troupe.config.TroupeSettings;

/** Every server Troupe starts listens on loopback unless told otherwise. */
class BindDefaultsTest {
    @Test
    void rewardServerBindsLoopbackUnlessGivenAHost() {
        CommandLine cmd = new CommandLine(new RewardServerCommand());
        assertEquals("127.0.0.1", cmd.getCommandSpec().findOption("--host").defaultValue());
    }

    @Test
    void aLearnerNodeServesGrpcAndTheDashboardOnLoopbackByDefault() {
        Config local = NodeConfig.load(List.of("learner"), Optional.of("local"), Optional.empty());
        assertTrue(NodeSettings.fromConfig(local).servers(), "troupe.node.servers");
        TroupeSettings s = TroupeSettings.fromConfig(local);
        assertEquals("127.0.0.1", s.grpc().host());
        assertEquals("127.0.0.1", s.http().host());
    }

    @Test
    void theKubernetesShapeServesOnThePodsInterfaces() {
        // the pod IP for Service troupe-learner, the pod's loopback for kubectl port-forward
        TroupeSettings s = TroupeSettings.fromConfig(
                NodeConfig.load(List.of("learner"), Optional.of("kubernetes"), Optional.empty()));
        assertEquals("0.0.0.0", s.grpc().host());
        assertEquals("0.0.0.0", s.http().host());
    }
}
