package troupe.core.reward;

import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import troupe.core.config.ConfigReader;
import troupe.core.config.SettingsException;

/** 1 when the response matches a regular expression, else 0 (maximised). */
public final class FormatScorer extends PerSampleScorer {

    /**
     * Defaults in {@code troupe.rewards.defaults.format} (reference.conf).
     *
     * @param objective objective name
     * @param pattern Java regex; required, no default
     * @param fullMatch true: the whole response must match; false: a match anywhere
     * @param strip true: leading/trailing whitespace is removed first
     */
    public record Settings(String objective, String pattern, boolean fullMatch, boolean strip) {
        public static Settings fromConfig(ConfigReader r) {
            r.requireOnly(Set.of("objective", "pattern", "full-match", "strip"));
            String pattern = r.string("pattern");
            try {
                Pattern.compile(pattern);
            } catch (PatternSyntaxException e) {
                throw new SettingsException(r.key("pattern"), "a Java regular expression", pattern);
            }
            return new Settings(r.string("objective"), pattern, r.bool("full-match"), r.bool("strip"));
        }
    }

    private final Settings settings;
    private final Pattern pattern;

    public FormatScorer(Settings settings) {
        super(new Objective(settings.objective(), Direction.MAXIMIZE, "matches /" + settings.pattern() + "/"));
        this.settings = settings;
        this.pattern = Pattern.compile(settings.pattern());
    }

    @Override
    protected double scoreOne(ScoreInput in) {
        String text = settings.strip() ? in.responseText().strip() : in.responseText();
        var m = pattern.matcher(text);
        return (settings.fullMatch() ? m.matches() : m.find()) ? 1 : 0;
    }

    /** Registry entry {@code "format"}. */
    public static final class Factory implements RewardScorerFactory {
        @Override
        public String name() {
            return "format";
        }

        @Override
        public RewardScorer create(ConfigReader block) {
            return new FormatScorer(Settings.fromConfig(block));
        }
    }
}
