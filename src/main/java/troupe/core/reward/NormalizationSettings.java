package troupe.core.reward;

import java.util.Set;
import troupe.core.config.ConfigReader;

/**
 * How {@link ObjectiveNormalizer} turns raw scores into z-scores. Defaults in
 * {@code troupe.learner.normalize} (reference.conf).
 *
 * @param frozenPerBatch true: normalise a batch with the statistics from before it, then fold the
 *     batch in — a sample's z does not depend on its batch-mates. False: fold the batch in first.
 * @param variance {@link RunningStats.Variance#SAMPLE} or POPULATION; both are logged
 * @param eps added to the variance under the square root, ≥ 0 (ALGORITHMS.md §6)
 * @param minCount with fewer samples seen than this, a frozen normaliser has no usable history
 *     and uses the batch-inclusive statistics instead
 */
public record NormalizationSettings(boolean frozenPerBatch, RunningStats.Variance variance, double eps, long minCount) {

    /**
     * Reads {@code frozen-per-batch}, {@code variance} (sample|population), {@code eps},
     * {@code min-count}; {@code enabled} belongs to the caller (normalisation on or off).
     */
    public static NormalizationSettings fromConfig(ConfigReader r) {
        r.requireOnly(Set.of("enabled", "frozen-per-batch", "variance", "eps", "min-count"));
        return new NormalizationSettings(r.bool("frozen-per-batch"), r.enumOf("variance", RunningStats.Variance.class),
                r.doubleIn("eps", 0, Double.MAX_VALUE), r.longIn("min-count", 0, Long.MAX_VALUE));
    }
}
