package troupe.core.weighting;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import troupe.core.config.ConfigReader;
import troupe.core.reward.Objective;

/**
 * The {@code troupe.learner.weighting} block, read and validated at start-up: the strategy in use,
 * the simplex settings every strategy shares, and the settings of every registered strategy from
 * its own block, so one switched to mid-run (Control.SetWeighting) or restored from a checkpoint
 * gets its configured settings.
 *
 * @param strategy the registry name of the strategy a run starts with ({@code strategy})
 * @param simplex {@code initial-weights} and {@code new-objective-share}
 * @param strategies each registered strategy's settings record, by name ({@code <name> { … }})
 */
public record WeightingSettings(String strategy, SimplexSettings simplex, Map<String, Object> strategies) {

    public WeightingSettings {
        strategies = Map.copyOf(strategies);
        if (!strategies.containsKey(strategy)) {
            throw new IllegalArgumentException("no settings for weighting strategy '" + strategy + "'");
        }
    }

    /** Reads the block; a bad value fails naming its full key, an unknown strategy lists the known ones. */
    public static WeightingSettings fromConfig(ConfigReader r) {
        Set<String> known = new HashSet<>(Set.of("strategy", "initial-weights", "new-objective-share"));
        known.addAll(WeightingStrategies.names());
        r.requireOnly(known);
        String strategy = WeightingStrategies.pick(r, "strategy");
        Map<String, Object> strategies = new LinkedHashMap<>();
        for (String name : WeightingStrategies.names()) {
            strategies.put(name, WeightingStrategies.settings(name, r.block(name)));
        }
        return new WeightingSettings(strategy, SimplexSettings.fromConfig(r), strategies);
    }

    /** The configured strategy over the run's initial objectives. */
    public WeightingStrategy create(List<Objective> initial) {
        return create(strategy, simplex, initial);
    }

    /**
     * Strategy {@code name} with its configured settings and fresh state, for a switch mid-run or a
     * restore: its weights start from {@code initialWeights}, equal when empty (the configured
     * {@code initial-weights} describe the run's start, not a switch).
     *
     * @throws IllegalArgumentException for an unknown name, listing the supported ones
     */
    public WeightingStrategy create(String name, Map<String, Double> initialWeights, List<Objective> initial) {
        return create(name, simplex.withInitialWeights(initialWeights), initial);
    }

    private WeightingStrategy create(String name, SimplexSettings s, List<Objective> initial) {
        if (!strategies.containsKey(name)) {
            throw new IllegalArgumentException("unknown weighting strategy '" + name + "'; supported: "
                    + String.join(", ", WeightingStrategies.names()));
        }
        return WeightingStrategies.create(name, strategies.get(name), s, initial);
    }
}
