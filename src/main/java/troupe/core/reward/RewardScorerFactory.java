package troupe.core.reward;

import com.typesafe.config.Config;

/**
 * Service-provider interface: a plugin jar adds scorers by listing its factories in
 * {@code META-INF/services/troupe.core.reward.RewardScorerFactory}. A run selects a scorer by
 * {@link #name()} and passes the scorer's own config block.
 */
public interface RewardScorerFactory {

    /** Registry name, e.g. {@code "length"}; unique among factories on the classpath. */
    String name();

    /**
     * Builds a scorer.
     *
     * @param config the scorer's block (e.g. {@code troupe.rewards.scorers.length}); keys the
     *     factory does not know should be reported as errors naming the key
     */
    RewardScorer create(Config config);
}
