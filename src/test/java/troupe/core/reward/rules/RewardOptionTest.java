package troupe.core.reward.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import troupe.core.config.SettingsException;
import troupe.core.reward.ScorerRegistry;
import troupe.core.reward.ScorerSpec;

class RewardOptionTest {

    @Test
    void aBareNameDeclaresTheRuleWithItsDefaults() {
        RewardOption o = RewardOption.parse("exact-match");
        assertEquals("exact-match", o.scorer());
        assertEquals(Map.of(), o.settings());
        assertEquals("--reward exact-match", o.spec().key());
    }

    @Test
    void valuesParseAsScalarsAndLists() {
        RewardOption o = RewardOption.parse("json:keys=[name;age],score=fraction,name=shape");
        assertEquals(Map.of("keys", List.of("name", "age"), "score", "fraction", "objective", "shape"), o.settings());
        RewardOption n = RewardOption.parse("numeric: rel-tol = 0.01 , abs-tol=0, field=label");
        assertEquals(Map.of("rel-tol", 0.01, "abs-tol", 0L, "field", "label"), n.settings());
        assertEquals(Map.of("trim", false, "keys", List.of("a", "b,c", 3L)),
                RewardOption.parse("x:trim=false,keys=[a,\"b,c\";3]").settings());
        assertEquals(List.of(), RewardOption.parse("json:keys=[]").settings().get("keys"));
    }

    @Test
    void regexValuesKeepTheirBracesAndBackslashes() {
        assertEquals("\\d{1,3}", RewardOption.parse("regex:pattern=\\d{1,3}").settings().get("pattern"));
        assertEquals("a,b", RewardOption.parse("regex:pattern=\"a,b\",capture=0").settings().get("pattern"));
        assertEquals("a\\,b", RewardOption.parse("regex:pattern=a\\,b").settings().get("pattern"));
        Config block = RewardOption.parse("regex:pattern=\\d{1,3}").block();
        assertEquals("\\d{1,3}", block.getString("pattern"));
    }

    @Test
    void aNumericNameStaysAString() {
        assertEquals("2024", RewardOption.parse("length:name=2024").settings().get("objective"));
    }

    @Test
    void badSyntaxNamesTheOption() {
        for (String bad : List.of("", ":x=1", "exact-match:", "exact-match:trim", "exact-match:trim=1,,", "a b",
                "json:keys=[a", "json:keys=[[a]]", "regex:pattern=\"a", "x:1a=2", "x:trim=1,trim=2",
                "x:name=[a]", "regex:pattern=\"a\"b\"")) {
            var e = assertThrows(RewardOption.BadSpec.class, () -> RewardOption.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("--reward '" + bad + "': "), e.getMessage());
        }
    }

    @Test
    void objectivesAreNamedAfterTheRuleWithSuffixesOnAClash() {
        Config run = ConfigFactory.parseString("troupe.rewards.scorers = [ { scorer = exact-match } ]")
                .withFallback(ConfigFactory.defaultReference());
        List<RewardOption> options = List.of(RewardOption.parse("exact-match:extract=boxed"),
                RewardOption.parse("exact-match"), RewardOption.parse("length:name=short"),
                RewardOption.parse("numeric"));
        Config out = ConfigFactory.empty().withValue(ScorerRegistry.SCORERS, RewardOption.appendTo(run, options));
        List<ScorerSpec> specs = ScorerRegistry.configured(out);
        assertEquals(List.of("exact-match", "exact-match", "exact-match", "length", "numeric"),
                specs.stream().map(ScorerSpec::scorer).toList());
        assertEquals(List.of("exact-match-2", "exact-match-3", "short", "numeric"), specs.subList(1, 5).stream()
                .map(s -> s.settings().getString("objective")).toList());
        assertEquals("boxed", specs.get(1).settings().getString("extract"));
        var built = ScorerRegistry.fromClasspath().createAll(specs);
        assertEquals(List.of("exact-match", "exact-match-2", "exact-match-3", "short", "numeric"),
                built.stream().map(s -> s.objective().name()).toList());
    }

    @Test
    void anExplicitNameAlreadyTakenIsRefused() {
        Config run = ConfigFactory.parseString("troupe.rewards.scorers = [ { scorer = length } ]")
                .withFallback(ConfigFactory.defaultReference());
        var e = assertThrows(RewardOption.BadSpec.class,
                () -> RewardOption.appendTo(run, List.of(RewardOption.parse("json:name=length"))));
        assertTrue(e.getMessage().contains("objective 'length' is already declared"), e.getMessage());
    }

    @Test
    void aBadSettingIsNamedByTheOption() {
        var registry = ScorerRegistry.fromClasspath();
        var e = assertThrows(SettingsException.class, () -> registry.check(RewardOption.parse("numeric:rel-tol=-1").spec()));
        assertEquals("--reward numeric.rel-tol", e.key());
        var unknown = assertThrows(SettingsException.class, () -> registry.check(RewardOption.parse("exact-matc").spec()));
        assertTrue(unknown.getMessage().startsWith("--reward exact-matc: unknown scorer"), unknown.getMessage());
    }
}
