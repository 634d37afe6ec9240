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
}
