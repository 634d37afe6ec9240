package troupe.core.reward;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Map;

/**
 * A reward scorer as a run declares it: a registry name (or a class name) and the settings it
 * changes; the rest of its block comes from {@code troupe.rewards.defaults.NAME}.
 *
 * @param scorer registry name, e.g. {@code "length"}, or a plugin class name
 * @param settings the keys this declaration sets, e.g. {@code mode = "target"}
 * @param key where it was declared, for messages, e.g. {@code troupe.rewards.scorers[0]}
 */
public record ScorerSpec(String scorer, Config settings, String key) {

    /** A declaration in code, e.g. a task's default objectives. */
    public static ScorerSpec of(String scorer, Map<String, Object> settings) {
        return new ScorerSpec(scorer, ConfigFactory.parseMap(settings), "scorer '" + scorer + "'");
    }
}
