package troupe.core.algo.dapo;

import troupe.core.config.ConfigReader;

/**
 * DAPO dynamic sampling (ALGORITHMS.md §4, verl {@code algorithm.filter_groups}), from the
 * {@code troupe.learner.dynamic-sampling} block (its {@code enabled} switch is the learner's;
 * defaults in reference.conf).
 *
 * @param maxGenerationBatches rollout batches one step may draw before it trains on the groups it
 *     has (verl {@code max_num_gen_batches}, default 10; verl fails the run at the cap, Troupe trains
 *     on what it has and says so in the step's event); 0 = no cap
 * @param objective the objective whose scores decide whether a group carries signal (verl's
 *     {@code metric}, e.g. "acc"); empty = the whole reward vector: a group is dropped when every
 *     sample has the same score on every objective
 */
public record DynamicSamplingSettings(int maxGenerationBatches, String objective) {

    public DynamicSamplingSettings {
        if (maxGenerationBatches < 0) {
            throw new IllegalArgumentException("max-num-gen-batches must be >= 0 (0 = no cap), got "
                    + maxGenerationBatches);
        }
        if (objective == null) {
            throw new IllegalArgumentException("objective must not be null (empty = every objective)");
        }
    }

    /** Reads every key of the block but {@code enabled}; a bad value fails naming its full key. */
    public static DynamicSamplingSettings fromConfig(ConfigReader r) {
        return new DynamicSamplingSettings(r.intIn("max-num-gen-batches", 0, 1_000_000), r.string("objective"));
    }

    public DynamicSamplingSettings withMaxGenerationBatches(int batches) {
        return new DynamicSamplingSettings(batches, objective);
    }

    public DynamicSamplingSettings withObjective(String name) {
        return new DynamicSamplingSettings(maxGenerationBatches, name);
    }
}
