package troupe.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.util.List;

/**
 * Reads typed values from one config block and checks their ranges, reporting problems as
 * {@link SettingsException}s that name the full key (block path + key). Settings records use it
 * in their {@code fromConfig} factories so every check lives next to the value it guards.
 */
public final class ConfigReader {
    private final Config config;
    private final String prefix;

    private ConfigReader(Config config, String prefix) {
        this.config = config;
        this.prefix = prefix;
    }

    /** A reader for the block at {@code path} of {@code root}. */
    public static ConfigReader at(Config root, String path) {
        try {
            return new ConfigReader(root.getConfig(path), path + ".");
        } catch (ConfigException.Missing e) {
            throw new SettingsException(path, "a config block", "nothing");
        } catch (ConfigException.WrongType e) {
            throw new SettingsException(path, "a config block", root.getValue(path).unwrapped());
        }
    }

    public ConfigReader block(String key) {
        return at(config, key).withPrefix(prefix + key + ".");
    }

    private ConfigReader withPrefix(String p) {
        return new ConfigReader(config, p);
    }

    /** A block of {@code root} read as it is (its keys relative to it), e.g. a test's hand-made block. */
    public static ConfigReader of(Config block, String path) {
        return new ConfigReader(block, path.isEmpty() ? "" : path + ".");
    }

    /** The sub-block at {@code key}, or an empty block when absent (for optional member blocks). */
    public ConfigReader blockOrEmpty(String key) {
        return has(key) ? block(key) : new ConfigReader(com.typesafe.config.ConfigFactory.empty(), prefix + key + ".");
    }

    /** Fails naming every top-level key of this block that is not in {@code known}. */
    public void requireOnly(java.util.Set<String> known) {
        java.util.Set<String> unknown = new java.util.TreeSet<>(config.root().keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            String first = unknown.iterator().next();
            throw new SettingsException(key(first), "one of the keys " + new java.util.TreeSet<>(known), "unknown key(s) " + unknown);
        }
    }

    /** A number in [min, max], or {@code inf}/{@code infinity} (written as a string) for +∞ when allowed. */
    public double doubleOrInf(String key, double min, double max) {
        if (has(key) && config.getValue(key).valueType() == com.typesafe.config.ConfigValueType.STRING) {
            String text = config.getString(key).trim().toLowerCase(java.util.Locale.ROOT);
            if (text.equals("inf") || text.equals("infinity")) {
                return Double.POSITIVE_INFINITY;
            }
        }
        return doubleIn(key, min, max);
    }

    /** An enum constant by name, case-insensitive, '-' read as '_'; an unknown value lists the choices. */
    public <E extends Enum<E>> E enumOf(String key, Class<E> type) {
        String raw = string(key).trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        java.util.List<String> names = new java.util.ArrayList<>();
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(raw)) {
                return e;
            }
            names.add(e.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        }
        throw new SettingsException(key(key), "one of " + names, config.getString(key));
    }

    public String key(String key) {
        return prefix + key;
    }

    public Config raw() {
        return config;
    }

    public boolean has(String key) {
        return config.hasPath(key);
    }

    public int intIn(String key, int min, int max) {
        int v;
        try {
            v = config.getInt(key);
        } catch (ConfigException.WrongType | ConfigException.BadValue e) {
            throw new SettingsException(key(key), "an integer in [" + min + ", " + max + "]", found(key));
        } catch (ConfigException.Missing e) {
            throw missing(key);
        }
        if (v < min || v > max) {
            throw new SettingsException(key(key), "an integer in [" + min + ", " + max + "]", v);
        }
        return v;
    }

    public long longIn(String key, long min, long max) {
        long v;
        try {
            v = config.getLong(key);
        } catch (ConfigException.WrongType | ConfigException.BadValue e) {
            throw new SettingsException(key(key), "an integer in [" + min + ", " + max + "]", found(key));
        } catch (ConfigException.Missing e) {
            throw missing(key);
        }
        if (v < min || v > max) {
            throw new SettingsException(key(key), "an integer in [" + min + ", " + max + "]", v);
        }
        return v;
    }

    /** A number in [min, max]; NaN is never accepted. */
    public double doubleIn(String key, double min, double max) {
        double v;
        try {
            v = config.getDouble(key);
        } catch (ConfigException.WrongType | ConfigException.BadValue e) {
            throw new SettingsException(key(key), "a number in [" + min + ", " + max + "]", found(key));
        } catch (ConfigException.Missing e) {
            throw missing(key);
        }
        if (!(v >= min && v <= max)) {
            throw new SettingsException(key(key), "a number in [" + min + ", " + max + "]", v);
        }
        return v;
    }

    /** A number &gt; min (exclusive) and ≤ max. */
    public double doubleAbove(String key, double exclusiveMin, double max) {
        double v = doubleIn(key, exclusiveMin, max);
        if (v == exclusiveMin) {
            throw new SettingsException(key(key), "a number in (" + exclusiveMin + ", " + max + "]", v);
        }
        return v;
    }

    public boolean bool(String key) {
        try {
            return config.getBoolean(key);
        } catch (ConfigException.WrongType | ConfigException.BadValue e) {
            throw new SettingsException(key(key), "true or false", found(key));
        } catch (ConfigException.Missing e) {
            throw missing(key);
        }
    }

    public String string(String key) {
        try {
            return config.getString(key);
        } catch (ConfigException.WrongType | ConfigException.BadValue e) {
            throw new SettingsException(key(key), "a string", found(key));
        } catch (ConfigException.Missing e) {
            throw missing(key);
        }
    }

    public String oneOf(String key, List<String> allowed) {
        String v = string(key);
        if (!allowed.contains(v)) {
            throw new SettingsException(key(key), "one of " + allowed, v);
        }
        return v;
    }

    public List<String> stringList(String key) {
        try {
            return config.getStringList(key);
        } catch (ConfigException.WrongType | ConfigException.BadValue e) {
            throw new SettingsException(key(key), "a list of strings", found(key));
        } catch (ConfigException.Missing e) {
            throw missing(key);
        }
    }

    /** Milliseconds of a HOCON duration ("10s", "250ms") in [min, max] ms. */
    public long millisIn(String key, long min, long max) {
        long v;
        try {
            v = config.getDuration(key).toMillis();
        } catch (ConfigException.WrongType | ConfigException.BadValue e) {
            throw new SettingsException(key(key), "a duration such as 10s or 250ms", found(key));
        } catch (ConfigException.Missing e) {
            throw missing(key);
        }
        if (v < min || v > max) {
            throw new SettingsException(key(key), "a duration in [" + min + "ms, " + max + "ms]", v + "ms");
        }
        return v;
    }

    private Object found(String key) {
        return config.getValue(key).unwrapped();
    }

    private SettingsException missing(String key) {
        return new SettingsException(key(key), "a value (no default exists)", "nothing");
    }
}
