package troupe.core.reward.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import troupe.core.config.SettingsException;
import troupe.core.reward.Direction;
import troupe.core.reward.ScorerRegistry;

/** Start-up checks: every bad setting is refused, naming its key, before any sample runs. */
class CodeExecutionSettingsTest {

    @TempDir
    Path work;

    private SettingsException refused(String settings) {
        return assertThrows(SettingsException.class, () -> CodeExecutionFixture.scorer(work, settings));
    }

    @Test
    void defaultsComeFromReferenceConfAndNameTheObjectiveAfterTheRule() {
        CodeExecutionScorer s = (CodeExecutionScorer) ScorerRegistry.fromClasspath().create("code-execution",
                ConfigFactory.empty());
        assertEquals("code-execution", s.objective().name());
        assertEquals(Direction.MAXIMIZE, s.objective().direction());
        CodeExecutionSettings d = CodeExecutionSettings.fromConfig(troupe.core.config.ConfigReader.at(
                ConfigFactory.defaultReference(), "troupe.rewards.defaults.code-execution"));
        assertEquals(Path.of("/usr/bin/python3"), d.interpreter());
        assertEquals(Duration.ofSeconds(5), d.timeout());
        assertEquals(Duration.ofSeconds(20), d.batchBudget());
        assertEquals(Runtime.getRuntime().availableProcessors(), d.parallelism());
        assertEquals(1L << 30, d.memoryBytes());
        assertEquals("tests", d.field());
    }

    @Test
    void missingInterpreterIsRefused() {
        SettingsException e = refused("interpreter = \"/nonexistent/python3\"");
        assertEquals("scorer 'code-execution'.interpreter", e.key());
        assertEquals("scorer 'code-execution'.interpreter: expected an executable Python 3 interpreter, found "
                + "\"/nonexistent/python3\"", e.getMessage());
    }

    @Test
    void interpreterThatIsNotPythonIsRefused() {
        SettingsException e = refused("interpreter = \"/bin/true\"");
        assertEquals("scorer 'code-execution'.interpreter", e.key());
        assertTrue(e.getMessage().contains("a Python 3.6+ interpreter"), e.getMessage());
        assertEquals("scorer 'code-execution'.interpreter", refused("interpreter = python3").key());
    }

    @Test
    void limitsMustBePositiveAndConsistent() {
        assertEquals("scorer 'code-execution'.timeout", refused("timeout = 0s").key());
        assertEquals("scorer 'code-execution'.batch-budget", refused("batch-budget = 1s").key());
        assertEquals("scorer 'code-execution'.memory", refused("memory = 1K").key());
        assertEquals("scorer 'code-execution'.memory", refused("memory = lots").key());
        assertEquals("scorer 'code-execution'.processes", refused("processes = 0").key());
        assertEquals("scorer 'code-execution'.max-output", refused("max-output = -1").key());
        assertEquals("scorer 'code-execution'.parallelism", refused("parallelism = -2").key());
        assertEquals("scorer 'code-execution'.code-block", refused("code-block = middle").key());
    }

    @Test
    void misspeltKeyIsRefused() {
        assertEquals("scorer 'code-execution'.time-out", refused("time-out = 2s").key());
    }
}
