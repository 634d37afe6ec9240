package troupe.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import picocli.CommandLine;
import troupe.config.TroupeConfig;
import troupe.core.reward.ScorerRegistry;
import troupe.core.reward.rules.RewardOption;

/**
 * {@code --reward NAME[:key=value,…]} of {@code troupe run} and {@code troupe score}: parsed by
 * picocli through {@link Converter} (bad syntax is a usage error naming the option, exit 2), then
 * appended to the user's {@code troupe.rewards.scorers}.
 */
final class RewardDeclarations {

    static final String HELP = "declare a reward (repeatable), e.g. exact-match:extract=last-number or "
            + "regex:pattern=\"<answer>\",name=format; appended to troupe.rewards.scorers";

    private RewardDeclarations() {
    }

    /** Picocli's converter: a malformed option is a parameter error. */
    static final class Converter implements CommandLine.ITypeConverter<RewardOption> {
        @Override
        public RewardOption convert(String value) {
            try {
                return RewardOption.parse(value);
            } catch (RewardOption.BadSpec e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /**
     * {@code user} with {@code options} appended to its scorer list, each option's settings checked
     * first so an error names the option ({@code --reward numeric.rel-tol: …}).
     *
     * @throws troupe.core.config.SettingsException for a bad setting or an unknown rule
     * @throws RewardOption.BadSpec for a {@code name=} already taken
     */
    static Config apply(Config user, List<RewardOption> options) {
        if (options.isEmpty()) {
            return user;
        }
        Config merged = user.withFallback(TroupeConfig.reference()).resolve();
        ScorerRegistry registry = ScorerRegistry.fromClasspath().withDefaultsOf(merged);
        options.forEach(o -> registry.check(o.spec()));
        return ConfigFactory.empty().withValue(ScorerRegistry.SCORERS, RewardOption.appendTo(merged, options))
                .withFallback(user);
    }
}
