package troupe.core.task;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Map;
import troupe.core.reward.RewardScorer;
import troupe.core.reward.ScorerRegistry;

/**
 * A reward scorer as a run would configure it: a registry name and its settings block.
 *
 * @param scorer registry name, e.g. {@code "length"}
 * @param settings the scorer's config keys, e.g. {@code mode → "brevity"}
 */
public record ScorerSpec(String scorer, Map<String, Object> settings) {

    public ScorerSpec {
        settings = Map.copyOf(settings);
    }

    public Config config() {
        return ConfigFactory.parseMap(settings);
    }

    public RewardScorer create(ScorerRegistry registry) {
        return registry.create(scorer, config());
    }
}
