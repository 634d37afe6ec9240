package troupe.core.reward;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** 1 when the response matches a regular expression, else 0 (maximised). */
public final class FormatScorer implements RewardScorer {

    /**
     * @param objective objective name; default "format"
     * @param pattern Java regex; required in config
     * @param fullMatch true (default): the whole response must match; false: a match anywhere
     * @param strip true (default): leading/trailing whitespace is removed first
     */
    public record Settings(String objective, String pattern, boolean fullMatch, boolean strip) {
        public static Settings fromConfig(Config c) {
            ConfigKeys.requireOnly(c, Set.of("objective", "pattern", "full-match", "strip"), "format scorer");
            if (!c.hasPath("pattern")) {
                throw new IllegalArgumentException("format scorer needs 'pattern' (a Java regular expression)");
            }
            return new Settings(ConfigKeys.string(c, "objective", "format"), c.getString("pattern"),
                    ConfigKeys.bool(c, "full-match", true), ConfigKeys.bool(c, "strip", true));
        }
    }

    private final Settings settings;
    private final Pattern pattern;
    private final Objective objective;

    public FormatScorer(Settings settings) {
        this.settings = settings;
        this.pattern = Pattern.compile(settings.pattern());
        this.objective = new Objective(settings.objective(), Direction.MAXIMIZE, "matches /" + settings.pattern() + "/");
    }

    @Override
    public Objective objective() {
        return objective;
    }

    @Override
    public float[] score(List<ScoreInput> batch) {
        float[] out = new float[batch.size()];
        for (int i = 0; i < out.length; i++) {
            String text = batch.get(i).responseText();
            text = settings.strip() ? text.strip() : text;
            var m = pattern.matcher(text);
            out[i] = (settings.fullMatch() ? m.matches() : m.find()) ? 1f : 0f;
        }
        return out;
    }

    /** Registry entry {@code "format"}. */
    public static final class Factory implements RewardScorerFactory {
        @Override
        public String name() {
            return "format";
        }

        @Override
        public RewardScorer create(Config config) {
            return new FormatScorer(Settings.fromConfig(config));
        }
    }
}
