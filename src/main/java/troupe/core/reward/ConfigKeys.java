package troupe.core.reward;

import com.typesafe.config.Config;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** Small helpers for settings records: optional keys with code defaults, unknown keys are errors. */
public final class ConfigKeys {

    private ConfigKeys() {}

    /** Fails naming every top-level key of {@code c} that is not in {@code known}. */
    public static void requireOnly(Config c, Set<String> known, String owner) {
        Set<String> unknown = new TreeSet<>(c.root().keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown key(s) " + unknown + " in " + owner
                    + " settings; supported: " + new TreeSet<>(known));
        }
    }

    public static boolean bool(Config c, String key, boolean fallback) {
        return c.hasPath(key) ? c.getBoolean(key) : fallback;
    }

    public static double number(Config c, String key, double fallback) {
        return c.hasPath(key) ? c.getDouble(key) : fallback;
    }

    public static String string(Config c, String key, String fallback) {
        return c.hasPath(key) ? c.getString(key) : fallback;
    }

    /** Enum constant by name, case-insensitive, '-' read as '_'; an unknown value lists the choices. */
    public static <E extends Enum<E>> E enumValue(Config c, String key, Class<E> type, E fallback) {
        if (!c.hasPath(key)) {
            return fallback;
        }
        String raw = c.getString(key).trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(raw)) {
                return e;
            }
        }
        Set<String> names = new TreeSet<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        throw new IllegalArgumentException(key + " = '" + c.getString(key) + "' is not one of " + names);
    }
}
