package troupe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every server Troupe starts listens on loopback unless told otherwise. */
class BindDefaultsTest {
    @Test
    void rewardServerBindsLoopbackUnlessGivenAHost() {
        CommandLine cmd = new CommandLine(new RewardServerCommand());
        assertEquals("127.0.0.1", cmd.getCommandSpec().findOption("--host").defaultValue());
    }
}
