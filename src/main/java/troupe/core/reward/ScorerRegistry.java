package troupe.core.reward;

import com.typesafe.config.Config;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Reward scorer factories by name (issue 5 item 1). Built from the {@link ServiceLoader} listing
 * of {@link RewardScorerFactory} on a class loader, so a plugin jar on the classpath adds
 * scorers; the built-ins are listed in this module's {@code META-INF/services} file.
 */
public final class ScorerRegistry {

    private final Map<String, RewardScorerFactory> factories;

    private ScorerRegistry(Map<String, RewardScorerFactory> factories) {
        this.factories = Collections.unmodifiableMap(factories);
    }

    /** Every factory visible to the context class loader (falling back to this class's loader). */
    public static ScorerRegistry fromClasspath() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return fromClassLoader(cl != null ? cl : ScorerRegistry.class.getClassLoader());
    }

    public static ScorerRegistry fromClassLoader(ClassLoader loader) {
        return of(ServiceLoader.load(RewardScorerFactory.class, loader).stream().map(ServiceLoader.Provider::get).toList());
    }

    /** @throws IllegalArgumentException when two factories share a name */
    public static ScorerRegistry of(List<RewardScorerFactory> list) {
        Map<String, RewardScorerFactory> byName = new TreeMap<>();
        for (RewardScorerFactory f : list) {
            RewardScorerFactory previous = byName.putIfAbsent(f.name(), f);
            if (previous != null && previous.getClass() != f.getClass()) {
                throw new IllegalArgumentException("two reward scorer factories are named '" + f.name() + "': "
                        + previous.getClass().getName() + " and " + f.getClass().getName());
            }
        }
        return new ScorerRegistry(byName);
    }

    /** Supported names, sorted. */
    public List<String> names() {
        return List.copyOf(factories.keySet());
    }

    /**
     * Builds the scorer named {@code name} from its config block.
     *
     * @throws IllegalArgumentException for an unknown name, listing the supported ones
     */
    public RewardScorer create(String name, Config config) {
        RewardScorerFactory f = factories.get(name);
        if (f == null) {
            throw new IllegalArgumentException("unknown reward scorer '" + name + "'; supported: " + names());
        }
        return f.create(config);
    }
}
