package troupe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCheckCommandTest {

    @TempDir
    Path dir;

    private CliRunner check(String hocon) throws IOException {
        Path f = dir.resolve("run.conf");
        Files.writeString(f, hocon);
        return CliRunner.run("config", "check", f.toString());
    }

    @Test
    void acceptsAValidFile() throws IOException {
        CliRunner r = check("troupe.run { steps = 5, seed = 42 }\npekko.loglevel = INFO\n");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("OK"), r.out());
    }

    @Test
    void aDeclaredRewardRuleIsCheckedByItsFactory() throws IOException {
        assertEquals(0, check("troupe.rewards.scorers = [ { scorer = exact-match, extract = boxed } ]\n").status());
        CliRunner r = check("troupe.rewards.scorers = [ { scorer = exact-match, extract = first-number } ]\n");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("run.conf: error: troupe.rewards.scorers[0].extract: expected one of [none, boxed, "
                + "last-number], found \"first-number\""), r.err());
    }

    @Test
    void unknownKeyIsReportedWithTheNearestValidKey() throws IOException {
        CliRunner r = check("troupe.run.stpes = 5\n");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("unknown key troupe.run.stpes"), r.err());
        assertTrue(r.err().contains("did you mean troupe.run.steps?"), r.err());
    }

    @Test
    void wrongTypeNamesTheKeyAndTheExpectedType() throws IOException {
        CliRunner r = check("troupe.run.steps = \"many\"\n");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("troupe.run.steps: expected a number, found \"many\""), r.err());
    }

    @Test
    void outOfRangeValueNamesTheKeyAndTheRange() throws IOException {
        CliRunner r = check("troupe.run.steps = 0\n");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("troupe.run.steps: expected an integer in [1, 10000000], found 0"), r.err());
    }

    @Test
    void objectWhereAValueBelongsIsAWrongType() throws IOException {
        CliRunner r = check("troupe.run.seed { x = 1 }\n");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("troupe.run.seed: expected a number, found an object"), r.err());
    }

    @Test
    void unknownWeightingStrategyListsTheSupportedOnes() throws IOException {
        CliRunner r = check("troupe.learner.weighting.strategy = pareto-magic\n");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("troupe.learner.weighting.strategy"), r.err());
        assertTrue(r.err().contains("pareto-magic"), r.err());
        assertTrue(r.err().contains("hypervolume"), r.err());
    }

    @Test
    void unknownKeyInsideAStrategyBlockIsReported() throws IOException {
        CliRunner r = check("troupe.learner.weighting.hypervolume { rescal = none }\n");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("rescal"), r.err());
    }

    @Test
    void weightsMayNameAnyObjective() throws IOException {
        CliRunner r = check("troupe.learner.weighting.initial-weights { polite = 0.3 }\n");
        assertEquals(0, r.status(), r.err());
    }

    @Test
    void learnerRangesAreChecked() throws IOException {
        CliRunner r = check("troupe.learner.optimizer.learning-rate = 0\n");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("troupe.learner.optimizer.learning-rate: expected a number in (0.0, 1.0]"), r.err());
    }

    @Test
    void unparsableOrMissingFileExitsTwo() throws IOException {
        assertEquals(2, check("troupe.run { steps = \n").status());
        CliRunner missing = CliRunner.run("config", "check", dir.resolve("nope.conf").toString());
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("not found"), missing.err());
    }
}
