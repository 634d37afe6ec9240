package troupe.core.reward.rules;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import troupe.core.fuzz.Rejections;
import troupe.core.reward.ScorerRegistry;

/**
 * Fuzz target: {@code --reward NAME[:key=value,…]} ({@link RewardOption}). Any text either
 * parses into a declaration whose block and appended scorer list build, or is refused with a
 * {@link RewardOption.BadSpec} quoting the option. Seeds in RewardOptionFuzzTestInputs/.
 */
class RewardOptionFuzzTest {
    private static final com.typesafe.config.Config REFERENCE = ConfigFactory.defaultReference();

    @FuzzTest(maxDuration = Rejections.CEILING)
    void parsesOrNamesTheOption(byte[] data) throws Throwable {
        String text = new String(data, StandardCharsets.UTF_8);
        Rejections.expectOnly("--reward '", () -> {
            RewardOption o = RewardOption.parse(text);
            o.block().root().render();
            ScorerRegistry.configured(ConfigFactory.empty().withValue(ScorerRegistry.SCORERS,
                    RewardOption.appendTo(REFERENCE, List.of(o, o))));
        }, RewardOption.BadSpec.class);
    }
}
