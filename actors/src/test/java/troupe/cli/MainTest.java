package troupe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MainTest {

    @Test
    void helpListsTheCommands() {
        CliRunner r = CliRunner.run("--help");
        assertEquals(0, r.status());
        for (String command : new String[] {"run", "node", "control", "sft", "make-base", "generate", "eval", "train-rm", "watch",
            "reward-server", "bench", "config", "version"}) {
            assertTrue(r.out().contains("  " + command + " "), command + " missing from:\n" + r.out());
        }
    }

    @Test
    void versionPrintsTroupeAndEngineVersions() {
        CliRunner r = CliRunner.run("version");
        assertEquals(0, r.status());
        assertTrue(r.out().startsWith("troupe 0."), r.out());
        assertTrue(r.out().contains("djl 0.36.0 (pytorch 2.7.1)"), r.out());
    }

    @Test
    void unknownOptionExitsTwo() {
        CliRunner r = CliRunner.run("--frobnicate");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("--frobnicate"), r.err());
    }
}
