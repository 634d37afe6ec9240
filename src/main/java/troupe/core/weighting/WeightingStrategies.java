package troupe.core.weighting;

import java.util.List;
import troupe.core.config.ConfigReader;
import troupe.core.config.Registry;
import troupe.core.reward.Objective;

/**
 * The registry of weighting strategies. A run's config names one and gives each its own block,
 * e.g. {@code troupe.learner.weighting { strategy = hypervolume, hypervolume { gain = 1.5 } }};
 * the {@link SimplexSettings} (initial weights, share of a joining objective) are shared by all.
 * A member builds a {@link Factory}, since a strategy also needs the run's objectives:
 *
 * <pre>{@code
 * WeightingSettings w = WeightingSettings.fromConfig(learner.block("weighting"));
 * WeightingStrategy s = w.create(objectives);          // the configured strategy
 * }</pre>
 */
public final class WeightingStrategies {

    /** A strategy whose own settings are read, waiting for the shared simplex settings and the objectives. */
    @FunctionalInterface
    public interface Factory {
        WeightingStrategy create(SimplexSettings simplex, List<Objective> initial);
    }

    private static final Registry<Factory> REGISTRY = new Registry<Factory>("weighting strategy")
            .register(FixedLinearStrategy.NAME, FixedLinearStrategy.Settings::fromConfig,
                    s -> FixedLinearStrategy::new)
            .register(GdpoStrategy.NAME, GdpoStrategy.Settings::fromConfig,
                    s -> (simplex, o) -> new GdpoStrategy(s, simplex, o))
            .register(HypervolumeGuidedStrategy.NAME, HypervolumeGuidedStrategy.Settings::fromConfig,
                    s -> (simplex, o) -> new HypervolumeGuidedStrategy(s, simplex, o))
            .register(MirrorDescentStrategy.NAME, MirrorDescentStrategy.Settings::fromConfig,
                    s -> (simplex, o) -> new MirrorDescentStrategy(s, simplex, o))
            .register(MaxMinStrategy.NAME, MaxMinStrategy.Settings::fromConfig,
                    s -> (simplex, o) -> new MaxMinStrategy(MaxMinStrategy.NAME, s, simplex, o))
            .register(MaxMinStrategy.SOFT_NAME, MaxMinStrategy.Settings::fromConfig,
                    s -> (simplex, o) -> new MaxMinStrategy(MaxMinStrategy.SOFT_NAME, s, simplex, o));

    private WeightingStrategies() {}

    /** Supported names in registration order. */
    public static List<String> names() {
        return REGISTRY.names();
    }

    /**
     * Strategy {@code name} from its own settings record (read by {@link #settings}).
     *
     * @throws IllegalArgumentException for an unknown name, listing the supported ones
     */
    public static WeightingStrategy create(String name, Object settings, SimplexSettings simplex,
            List<Objective> initial) {
        return REGISTRY.build(name, settings).create(simplex, initial);
    }

    /** Strategy {@code name} built from its block ({@code weighting.<name>}). */
    public static WeightingStrategy create(String name, ConfigReader block, SimplexSettings simplex,
            List<Objective> initial) {
        return REGISTRY.create(name, block).create(simplex, initial);
    }

    /** Reads and validates strategy {@code name}'s own block without building it. */
    static Object settings(String name, ConfigReader block) {
        return REGISTRY.settings(name, block);
    }

    static String pick(ConfigReader r, String key) {
        return REGISTRY.pick(r, key);
    }
}
