package troupe.core.reward.rules;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import troupe.core.reward.ExplainedScorer;
import troupe.core.reward.ExplainedScorer.Explained;
import troupe.core.reward.ScoreInput;
import troupe.core.reward.ScorerRegistry;

/** Builds rules through the registry (so reference.conf defaults apply) and scores one response. */
final class RuleTesting {
    static final ScorerRegistry REGISTRY = ScorerRegistry.fromClasspath();

    private RuleTesting() {
    }

    static ExplainedScorer rule(String name, Map<String, Object> settings) {
        return (ExplainedScorer) REGISTRY.create(name, ConfigFactory.parseMap(settings));
    }

    static ScoreInput sample(String response, Map<String, String> fields) {
        return new ScoreInput("q", response, new int[] {1}, new int[] {2, 3}, "", fields, false);
    }

    static Explained one(ExplainedScorer rule, String response, Map<String, String> fields) {
        return rule.explain(List.of(sample(response, fields))).get(0);
    }

    static Explained one(ExplainedScorer rule, String response, String answer) {
        return one(rule, response, Map.of("answer", answer));
    }
}
