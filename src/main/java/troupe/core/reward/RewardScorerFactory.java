package troupe.core.reward;

import troupe.core.config.ConfigReader;

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
     * @param block the scorer's settings: its {@code troupe.rewards.scorers} entry over its
     *     defaults in {@code troupe.rewards.defaults.NAME} (a plugin's reference.conf may add
     *     them). Read it with the reader's typed getters so errors name the key, and call
     *     {@link ConfigReader#requireOnly} so a misspelt key is an error.
     */
    RewardScorer create(ConfigReader block);

    /**
     * Checks {@code block} as {@link #create} would, for {@code troupe config check} and start-up.
     * The default builds the scorer and drops it; a factory whose scorer is costly to build (a
     * model to load) overrides this to read its settings only.
     *
     * @throws troupe.core.config.SettingsException naming the bad key
     */
    default void check(ConfigReader block) {
        create(block);
    }
}
