package troupe.core.algo.dapo;

import com.typesafe.config.Config;
import troupe.core.algo.ConfigValues;

/**
 * DAPO dynamic sampling (ALGORITHMS.md §4, verl {@code algorithm.filter_groups}). Config keys
 * (optional): {@code max-num-gen-batches}, {@code objective}.
 *
 * @param maxGenerationBatches rollout batches one step may draw before it trains on the groups it
 *     has (verl {@code max_num_gen_batches}, default 10; verl fails the run at the cap, Troupe trains
 *     on what it has and says so in the step's event); 0 = no cap
 * @param objective the objective whose scores decide whether a group carries signal (verl's
 *     {@code metric}, e.g. "acc"); empty = the whole reward vector: a group is dropped when every
 *     sample has the same score on every objective
 */
public record DynamicSamplingSettings(int maxGenerationBatches, String objective) {

    public static final DynamicSamplingSettings DEFAULTS = new DynamicSamplingSettings(10, "");

    public DynamicSamplingSettings {
        if (maxGenerationBatches < 0) {
            throw new IllegalArgumentException("max-num-gen-batches must be >= 0 (0 = no cap), got "
                    + maxGenerationBatches);
        }
        if (objective == null) {
            throw new IllegalArgumentException("objective must not be null (empty = every objective)");
        }
    }

    /** Reads the keys present in {@code config}; absent keys keep {@link #DEFAULTS}. */
    public static DynamicSamplingSettings fromConfig(Config config) {
        ConfigValues c = new ConfigValues(config);
        return new DynamicSamplingSettings(c.integer("max-num-gen-batches", DEFAULTS.maxGenerationBatches),
                c.string("objective", DEFAULTS.objective));
    }
}
