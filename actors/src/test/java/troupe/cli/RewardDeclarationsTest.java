package troupe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import troupe.config.TroupeConfig;
import troupe.core.config.SettingsException;
import troupe.core.reward.ScorerRegistry;
import troupe.core.reward.ScorerSpec;
import troupe.core.reward.rules.RewardOption;

/** {@code --reward} as {@code troupe run} and {@code troupe score} apply it to the user's config. */
class RewardDeclarationsTest {

    private static List<ScorerSpec> scorers(Config user) {
        return ScorerRegistry.configured(user.withFallback(TroupeConfig.reference()).resolve());
    }

    @Test
    void optionsAreAppendedAfterTheConfigsScorersWithSuffixedObjectives() {
        Config user = ConfigFactory.parseString("troupe.rewards.scorers = [ { scorer = length, unit = chars } ]");
        Config out = RewardDeclarations.apply(user, List.of(RewardOption.parse("length:mode=target,target=8"),
                RewardOption.parse("regex:pattern=\\d+,name=digits")));
        List<ScorerSpec> specs = scorers(out);
        assertEquals(List.of("length", "length", "regex"), specs.stream().map(ScorerSpec::scorer).toList());
        assertEquals("chars", specs.get(0).settings().getString("unit"));
        assertEquals("length-2", specs.get(1).settings().getString("objective"));
        assertEquals(8, specs.get(1).settings().getInt("target"));
        assertEquals("digits", specs.get(2).settings().getString("objective"));
        assertEquals("\\d+", specs.get(2).settings().getString("pattern"));
    }

    @Test
    void noOptionLeavesTheConfigAsItIs() {
        Config user = ConfigFactory.parseString("troupe.run.steps = 3");
        assertSame(user, RewardDeclarations.apply(user, List.of()));
    }

    @Test
    void aBadSettingNamesTheOptionBeforeAnythingIsAppended() {
        var e = assertThrows(SettingsException.class, () -> RewardDeclarations.apply(ConfigFactory.empty(),
                List.of(RewardOption.parse("json:score=most"))));
        assertEquals("--reward json.score", e.key());
    }

    @Test
    void theConverterTurnsBadSyntaxIntoAParameterError() {
        var e = assertThrows(CommandLine.TypeConversionException.class,
                () -> new RewardDeclarations.Converter().convert("exact-match:trim"));
        assertEquals("--reward 'exact-match:trim': expected key=value, found 'trim' (quote a value holding commas: "
                + "pattern=\"a,b\")", e.getMessage());
    }
}
