package troupe.core.reward;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueType;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import troupe.core.config.ConfigReader;
import troupe.core.config.Registry;
import troupe.core.config.SettingsException;

/**
 * Every reward scorer, reached one way (issue 16): built-ins and plugin jars register a
 * {@link RewardScorerFactory} in {@code META-INF/services}; a run declares scorers in
 * {@code troupe.rewards.scorers}, a list of {@code { scorer = NAME, ...settings }} read only by
 * {@link #configured}; a scorer named by class (a plugin without a services entry) is built here
 * too. Every one gets its block: the declaration's keys over {@code troupe.rewards.defaults.NAME}.
 */
public final class ScorerRegistry {

    /** The run's scorer list. */
    public static final String SCORERS = "troupe.rewards.scorers";
    /** Per-scorer defaults (reference.conf). */
    public static final String DEFAULTS = "troupe.rewards.defaults";

    private static final String TASKS = "troupe.tasks";
    private static final String TASK_VERIFIER_TASKS = "task-verifier.tasks";

    private final Registry<RewardScorer> registry;
    private final java.util.Map<String, RewardScorerFactory> factories;
    private final ClassLoader loader;
    private final Config defaults;

    private ScorerRegistry(Registry<RewardScorer> registry, java.util.Map<String, RewardScorerFactory> factories,
            ClassLoader loader, Config defaults) {
        this.registry = registry;
        this.factories = factories;
        this.loader = loader;
        this.defaults = defaults;
    }

    /** Every factory visible to the context class loader (falling back to this class's loader). */
    public static ScorerRegistry fromClasspath() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return fromClassLoader(cl != null ? cl : ScorerRegistry.class.getClassLoader());
    }

    /**
     * The factories {@link ServiceLoader} finds on {@code loader}, with the defaults of every
     * reference.conf it sees.
     *
     * @throws IllegalArgumentException when two factory classes share a name
     */
    public static ScorerRegistry fromClassLoader(ClassLoader loader) {
        List<RewardScorerFactory> found = new ArrayList<>();
        ServiceLoader.load(RewardScorerFactory.class, loader).forEach(found::add);
        found.sort(Comparator.comparing(RewardScorerFactory::name));
        Registry<RewardScorer> registry = new Registry<>("reward scorer");
        java.util.Map<String, RewardScorerFactory> factories = new java.util.HashMap<>();
        RewardScorerFactory previous = null;
        for (RewardScorerFactory f : found) {
            if (previous != null && previous.name().equals(f.name())) {
                if (previous.getClass() != f.getClass()) {
                    throw new IllegalArgumentException("two reward scorer factories are named '" + f.name() + "': "
                            + previous.getClass().getName() + " and " + f.getClass().getName());
                }
                continue; // the same factory listed twice (two copies of a jar)
            }
            registry.register(f.name(), block -> block, f::create);
            factories.put(f.name(), f);
            previous = f;
        }
        Config reference = ConfigFactory.defaultReference(loader);
        return new ScorerRegistry(registry, factories, loader,
                reference.hasPath(DEFAULTS) ? reference.getConfig(DEFAULTS) : ConfigFactory.empty());
    }

    /**
     * This registry as a run builds its scorers: with the run's {@code troupe.rewards.defaults}
     * (a user may change a default there), and the run's {@code troupe.tasks} as the
     * task-verifier's {@code tasks}, so answers are checked with the settings the prompts came from.
     */
    public ScorerRegistry withDefaultsOf(Config root) {
        Config d = root.hasPath(DEFAULTS) ? root.getConfig(DEFAULTS).withFallback(defaults) : defaults;
        if (root.hasPath(TASKS)) {
            d = d.withValue(TASK_VERIFIER_TASKS, root.getValue(TASKS));
        }
        return new ScorerRegistry(registry, factories, loader, d);
    }

    /** Registered names, sorted. */
    public List<String> names() {
        return registry.names();
    }

    /**
     * The run's declared scorers: {@code troupe.rewards.scorers} of {@code root}, a list of
     * {@code { scorer = NAME, ... }}. The only reader of that key.
     *
     * @throws SettingsException naming the entry when it is not a block with a {@code scorer}
     */
    public static List<ScorerSpec> configured(Config root) {
        if (!root.hasPath(SCORERS)) {
            return List.of();
        }
        if (root.getValue(SCORERS).valueType() != ConfigValueType.LIST) {
            throw new SettingsException(SCORERS, "a list of { scorer = NAME, ...settings }",
                    root.getValue(SCORERS).unwrapped());
        }
        List<? extends Config> entries;
        try {
            entries = root.getConfigList(SCORERS);
        } catch (ConfigException.WrongType e) {
            throw new SettingsException(SCORERS, "a list of { scorer = NAME, ...settings }",
                    root.getValue(SCORERS).unwrapped());
        }
        List<ScorerSpec> out = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String key = SCORERS + "[" + i + "]";
            ConfigReader entry = ConfigReader.of(entries.get(i), key);
            if (!entry.has("scorer")) {
                throw SettingsException.because(key, "needs scorer = <name>");
            }
            out.add(new ScorerSpec(entry.string("scorer"), entries.get(i).withoutPath("scorer"), key));
        }
        return out;
    }

    /**
     * The declaration of scorer {@code name} in the run: its first {@code troupe.rewards.scorers}
     * entry, or none (defaults only) — how a reward node or {@code reward-server} names a scorer.
     */
    public static ScorerSpec declared(Config root, String name, String key) {
        return configured(root).stream().filter(s -> s.scorer().equals(name)).findFirst()
                .orElse(new ScorerSpec(name, ConfigFactory.empty(), key));
    }

    /** Builds {@code name} with {@code overrides} over its defaults. */
    public RewardScorer create(String name, Config overrides) {
        return create(new ScorerSpec(name, overrides, "scorer '" + name + "'"));
    }

    /** Builds every declaration, in order. */
    public List<RewardScorer> createAll(List<ScorerSpec> specs) {
        List<RewardScorer> out = new ArrayList<>();
        specs.forEach(s -> out.add(create(s)));
        return out;
    }

    /**
     * Builds a declared scorer: a registered name, or the class name of a
     * {@link RewardScorerFactory} or a {@link RewardScorer} (with a public constructor taking a
     * {@link ConfigReader}, or a no-argument one when the declaration sets no keys).
     *
     * @throws SettingsException naming the declaration for an unknown name (listing the
     *     registered ones) or a bad setting (naming the key)
     */
    public RewardScorer create(ScorerSpec spec) {
        String name = spec.scorer();
        ConfigReader block = block(spec);
        if (registry.has(name)) {
            return registry.create(name, block);
        }
        if (name.contains(".")) {
            return fromClass(name, block, spec.key(), false);
        }
        throw SettingsException.because(spec.key(), "unknown scorer '" + name + "'; registered: "
                + String.join(", ", names()));
    }

    /**
     * Checks a declaration as {@link #create} would, without building what is costly to build (a
     * registered factory's {@link RewardScorerFactory#check}); {@code troupe config check} and
     * start-up call it so a bad setting stops a run before anything loads.
     *
     * @throws SettingsException as {@link #create} does
     */
    public void check(ScorerSpec spec) {
        RewardScorerFactory f = factories.get(spec.scorer());
        if (f != null) {
            f.check(block(spec));
        } else if (spec.scorer().contains(".")) {
            fromClass(spec.scorer(), block(spec), spec.key(), true);
        } else {
            create(spec);
        }
    }

    /** The declaration's keys over its defaults, named by where it was declared. */
    private ConfigReader block(ScorerSpec spec) {
        String name = spec.scorer();
        Config base = defaults.hasPath(quoted(name)) ? defaults.getConfig(quoted(name)) : ConfigFactory.empty();
        return ConfigReader.of(spec.settings().withFallback(base), spec.key());
    }

    /** Builds a scorer named by class; with {@code checkOnly}, a factory class only checks its block (returns null). */
    private RewardScorer fromClass(String className, ConfigReader block, String key, boolean checkOnly) {
        Class<?> c;
        try {
            c = Class.forName(className, true, loader);
        } catch (ClassNotFoundException e) {
            throw SettingsException.because(key, "'" + className + "' is neither a registered reward scorer ("
                    + String.join(", ", names()) + ") nor a class on the classpath");
        }
        try {
            if (RewardScorerFactory.class.isAssignableFrom(c)) {
                RewardScorerFactory f = (RewardScorerFactory) c.getConstructor().newInstance();
                if (checkOnly) {
                    f.check(block);
                    return null;
                }
                return f.create(block);
            }
            if (!RewardScorer.class.isAssignableFrom(c)) {
                throw SettingsException.because(key, className + " implements neither "
                        + RewardScorer.class.getName() + " nor " + RewardScorerFactory.class.getName());
            }
            try {
                return (RewardScorer) c.getConstructor(ConfigReader.class).newInstance(block);
            } catch (NoSuchMethodException e) {
                block.requireOnly(Set.of()); // a no-argument scorer takes no settings: none may be dropped
                return (RewardScorer) c.getConstructor().newInstance();
            }
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw SettingsException.because(key, className + ": " + e.getCause());
        } catch (NoSuchMethodException | InstantiationException | IllegalAccessException e) {
            throw SettingsException.because(key, className + " needs a public constructor taking a "
                    + ConfigReader.class.getSimpleName() + " or no arguments");
        }
    }

    /** Scorer names hold '-' and, for class names, '.': quote them as one path element. */
    private static String quoted(String name) {
        return com.typesafe.config.ConfigUtil.joinPath(name);
    }
}
