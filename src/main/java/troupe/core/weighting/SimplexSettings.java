package troupe.core.weighting;

import java.util.LinkedHashMap;
import java.util.Map;
import troupe.core.config.ConfigReader;
import troupe.core.config.SettingsException;

/**
 * Settings every strategy shares, from the {@code troupe.learner.weighting} block: where the
 * weights start and how a joining objective enters.
 *
 * @param initialWeights raw weight of each initial objective (missing names count 1), ≥ 0;
 *     normalised onto the simplex; empty = equal weights
 * @param newObjectiveShare share w_new in [0, 1) an objective joining mid-run receives; the
 *     others are scaled by (1 − w_new). 0 means an equal share, 1/K after joining.
 */
public record SimplexSettings(Map<String, Double> initialWeights, double newObjectiveShare) {

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

    /** Reads {@code initial-weights { name = w }} and {@code new-objective-share} of the weighting block. */
    public static SimplexSettings fromConfig(ConfigReader r) {
        double share = r.doubleIn("new-objective-share", 0, 1);
        if (share == 1) {
            throw new SettingsException(r.key("new-objective-share"), "a number in [0, 1)", share);
        }
        return new SimplexSettings(numbersByName(r, "initial-weights", 0, Double.MAX_VALUE), share);
    }

    /** The same settings starting from {@code weights} (every current objective named). */
    public SimplexSettings withInitialWeights(Map<String, Double> weights) {
        return new SimplexSettings(weights, newObjectiveShare);
    }

    /** The share of an objective joining a set that will then have {@code countAfter} members. */
    public double shareFor(int countAfter) {
        return newObjectiveShare > 0 ? newObjectiveShare : 1.0 / countAfter;
    }

    /** A block {@code key { name = number, … }} whose keys are objective names, in file order. */
    static Map<String, Double> numbersByName(ConfigReader r, String key, double min, double max) {
        ConfigReader block = r.block(key);
        Map<String, Double> out = new LinkedHashMap<>();
        // Quoted: a name is a key, not a path (names may hold dots).
        block.raw().root().keySet().forEach(k -> out.put(k, block.doubleIn("\"" + k + "\"", min, max)));
        return out;
    }
}
