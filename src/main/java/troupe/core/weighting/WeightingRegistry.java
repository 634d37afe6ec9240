package troupe.core.weighting;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import troupe.core.reward.Objective;

/**
 * The one registry of weighting strategies; a run's config names one and passes its block, e.g.
 * {@code troupe.weighting { strategy = hypervolume, hypervolume { gain = 1.5 } }}. Every block also
 * accepts the {@link SimplexSettings} keys.
 */
public final class WeightingRegistry {

    /** Builds a strategy from its config block and the run's initial objectives. */
    @FunctionalInterface
    public interface Factory {
        WeightingStrategy create(Config config, List<Objective> initial);
    }

    private static final Map<String, Factory> BUILT_IN = new TreeMap<>(Map.of(
            FixedLinearStrategy.NAME, (c, o) -> {
                troupe.core.reward.ConfigKeys.requireOnly(c, SimplexSettings.KEYS, FixedLinearStrategy.NAME);
                return new FixedLinearStrategy(SimplexSettings.fromConfig(c), o);
            },
            GdpoStrategy.NAME, (c, o) -> new GdpoStrategy(GdpoStrategy.Settings.fromConfig(c), SimplexSettings.fromConfig(c), o),
            HypervolumeGuidedStrategy.NAME, (c, o) -> new HypervolumeGuidedStrategy(
                    HypervolumeGuidedStrategy.Settings.fromConfig(c), SimplexSettings.fromConfig(c), o),
            MirrorDescentStrategy.NAME, (c, o) -> new MirrorDescentStrategy(
                    MirrorDescentStrategy.Settings.fromConfig(c), SimplexSettings.fromConfig(c), o),
            MaxMinStrategy.NAME, (c, o) -> new MaxMinStrategy(MaxMinStrategy.NAME,
                    MaxMinStrategy.Settings.fromConfig(c, MaxMinStrategy.Settings.hard()), SimplexSettings.fromConfig(c), o),
            MaxMinStrategy.SOFT_NAME, (c, o) -> new MaxMinStrategy(MaxMinStrategy.SOFT_NAME,
                    MaxMinStrategy.Settings.fromConfig(c, MaxMinStrategy.Settings.soft()), SimplexSettings.fromConfig(c), o)));

    private WeightingRegistry() {}

    /** Supported names, sorted. */
    public static List<String> names() {
        return List.copyOf(BUILT_IN.keySet());
    }

    /**
     * @throws IllegalArgumentException for an unknown name (listing the supported ones) or bad settings
     */
    public static WeightingStrategy create(String name, Config config, List<Objective> initial) {
        Factory f = BUILT_IN.get(name);
        if (f == null) {
            throw new IllegalArgumentException("unknown weighting strategy '" + name + "'; supported: " + names());
        }
        return f.create(config, initial);
    }

    /** The strategy with default settings. */
    public static WeightingStrategy create(String name, List<Objective> initial) {
        return create(name, ConfigFactory.empty(), initial);
    }
}
