package troupe.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link ConfigCheck} over the learner's blocks, whose every default lives in core's reference.conf. */
class ConfigCheckTest {

    private static final Config REFERENCE = TroupeConfig.reference();

    private static List<ConfigCheck.Problem> check(Config user) {
        return ConfigCheck.check(user, REFERENCE, TroupeSettings::fromConfig);
    }

    @Test
    void everyLearnerKeyWrittenWithItsReferenceValueIsAccepted() {
        int keys = 0;
        for (Map.Entry<String, ConfigValue> e : REFERENCE.getConfig("troupe.learner").entrySet()) {
            String key = "troupe.learner." + e.getKey();
            List<ConfigCheck.Problem> problems = check(ConfigFactory.empty().withValue(key, e.getValue()));
            assertEquals(List.of(), problems, key);
            keys++;
        }
        assertTrue(keys > 80, "every leaf of troupe.learner was tried, got " + keys);
    }

    @Test
    void aWrongValueInsideAStrategyBlockNamesItsKey() {
        List<ConfigCheck.Problem> type = check(ConfigFactory.parseString("troupe.learner.weighting.gdpo.eps = small"));
        assertEquals("troupe.learner.weighting.gdpo.eps", type.get(0).key());
        List<ConfigCheck.Problem> range = check(ConfigFactory.parseString(
                "troupe.learner.weighting.mirror-descent.accumulate = 0"));
        assertEquals("troupe.learner.weighting.mirror-descent.accumulate", range.get(0).key());
        List<ConfigCheck.Problem> unknown = check(ConfigFactory.parseString(
                "troupe.learner.weighting.fixed-linear.gain = 2"));
        assertEquals("troupe.learner.weighting.fixed-linear.gain", unknown.get(0).key());
    }

    @Test
    void scalesAndInitialWeightsMayNameAnyObjective() {
        assertEquals(List.of(), check(ConfigFactory.parseString(
                "troupe.learner.weighting { initial-weights { polite = 0.3 }, hypervolume.scales { polite = 2 } }")));
    }

    @Test
    void declaredRewardRulesAreCheckedWithTheirEntryNamed() {
        assertEquals(List.of(), check(ConfigFactory.parseString("troupe.rewards.scorers = ["
                + "{ scorer = exact-match, extract = boxed }, { scorer = regex, pattern = \"a(b)\", capture = 1,"
                + " field = answer }, { scorer = json, keys = [a] }, { scorer = numeric, rel-tol = 0.01 } ]")));
        List<ConfigCheck.Problem> key = check(ConfigFactory.parseString(
                "troupe.rewards.scorers = [ { scorer = length }, { scorer = exact-match, extrakt = boxed } ]"));
        assertEquals("troupe.rewards.scorers[1].extrakt", key.get(0).key());
        List<ConfigCheck.Problem> value = check(ConfigFactory.parseString(
                "troupe.rewards.scorers = [ { scorer = numeric, abs-tol = -1 } ]"));
        assertEquals("troupe.rewards.scorers[0].abs-tol", value.get(0).key());
        List<ConfigCheck.Problem> unknown = check(ConfigFactory.parseString(
                "troupe.rewards.scorers = [ { scorer = exact-matsh } ]"));
        assertTrue(unknown.get(0).message().contains("unknown scorer 'exact-matsh'"), unknown.get(0).message());
    }

    @Test
    void aChangedRuleDefaultIsCheckedToo() {
        List<ConfigCheck.Problem> p = check(ConfigFactory.parseString(
                "troupe.rewards { defaults.json.score = most, scorers = [ { scorer = json } ] }"));
        assertEquals("troupe.rewards.scorers[0].score", p.get(0).key());
    }
}
