package troupe.core.weighting;

import com.typesafe.config.Config;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import troupe.core.reward.ConfigKeys;

/**
 * Settings every strategy shares: where the weights start and how a joining objective enters.
 *
 * @param initialWeights raw weight of each initial objective (missing names count 1); normalised
 *     onto the simplex; default empty (equal weights)
 * @param newObjectiveShare share w_new in [0, 1) an objective joining mid-run receives; the
 *     others are scaled by (1 − w_new). 0 (default) means an equal share, 1/K after joining.
 */
public record SimplexSettings(Map<String, Double> initialWeights, double newObjectiveShare) {

    /** Config keys read by {@link #fromConfig}. */
    public static final Set<String> KEYS = Set.of("initial-weights", "new-objective-share");

    public SimplexSettings {
        initialWeights = Map.copyOf(initialWeights);
        initialWeights.forEach((k, v) -> {
            if (!(v >= 0)) {
                throw new IllegalArgumentException("initial weight of '" + k + "' must be >= 0, got " + v);
            }
        });
        if (!(newObjectiveShare >= 0 && newObjectiveShare < 1)) {
            throw new IllegalArgumentException("new-objective-share must be in [0, 1), got " + newObjectiveShare);
        }
    }

    public static SimplexSettings defaults() {
        return new SimplexSettings(Map.of(), 0);
    }

    /** Reads {@code initial-weights { name = w }} and {@code new-objective-share}; ignores other keys. */
    public static SimplexSettings fromConfig(Config c) {
        Map<String, Double> w = new LinkedHashMap<>();
        if (c.hasPath("initial-weights")) {
            Config block = c.getConfig("initial-weights");
            block.root().keySet().forEach(k -> w.put(k, block.getDouble("\"" + k + "\"")));
        }
        return new SimplexSettings(w, ConfigKeys.number(c, "new-objective-share", 0));
    }

    /** The share of an objective joining a set that will then have {@code countAfter} members. */
    public double shareFor(int countAfter) {
        return newObjectiveShare > 0 ? newObjectiveShare : 1.0 / countAfter;
    }
}
