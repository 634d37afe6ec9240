package troupe.core.reward;

import com.typesafe.config.Config;
import java.util.Set;

/**
 * How {@link ObjectiveNormalizer} turns raw scores into z-scores.
 *
 * @param frozenPerBatch true (default): normalise a batch with the statistics from before it,
 *     then fold the batch in — a sample's z does not depend on its batch-mates. False: fold the
 *     batch in first.
 * @param variance {@link RunningStats.Variance#SAMPLE} (default) or POPULATION; both are logged
 * @param eps added to the variance under the square root; default 1e-8 (ALGORITHMS.md §6)
 * @param minCount with fewer samples seen than this, a frozen normaliser has no usable history
 *     and uses the batch-inclusive statistics instead; default 2
 */
public record NormalizationSettings(boolean frozenPerBatch, RunningStats.Variance variance, double eps, long minCount) {

    public NormalizationSettings {
        if (!(eps >= 0)) {
            throw new IllegalArgumentException("eps must be >= 0, got " + eps);
        }
    }

    public static NormalizationSettings defaults() {
        return new NormalizationSettings(true, RunningStats.Variance.SAMPLE, 1e-8, 2);
    }

    /** Reads {@code frozen-per-batch}, {@code variance} (sample|population), {@code eps}, {@code min-count}. */
    public static NormalizationSettings fromConfig(Config c) {
        ConfigKeys.requireOnly(c, Set.of("frozen-per-batch", "variance", "eps", "min-count"), "normalization");
        NormalizationSettings d = defaults();
        return new NormalizationSettings(
                ConfigKeys.bool(c, "frozen-per-batch", d.frozenPerBatch()),
                ConfigKeys.enumValue(c, "variance", RunningStats.Variance.class, d.variance()),
                ConfigKeys.number(c, "eps", d.eps()),
                (long) ConfigKeys.number(c, "min-count", d.minCount()));
    }
}
