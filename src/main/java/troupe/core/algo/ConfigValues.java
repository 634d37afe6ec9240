package troupe.core.algo;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueType;

/**
 * Reads optional keys of one config block, falling back to the defaults of a settings record,
 * so each default lives in exactly one place (the record's {@code DEFAULTS}). A number may be
 * written {@code inf} to disable a clamp.
 */
public final class ConfigValues {

    private final Config config;

    public ConfigValues(Config config) {
        this.config = config;
    }

    public String string(String key, String fallback) {
        return config.hasPath(key) ? config.getString(key) : fallback;
    }

    public double number(String key, double fallback) {
        if (!config.hasPath(key)) {
            return fallback;
        }
        if (config.getValue(key).valueType() == ConfigValueType.STRING) {
            String text = config.getString(key).trim().toLowerCase();
            if (text.equals("inf") || text.equals("infinity")) {
                return Double.POSITIVE_INFINITY;
            }
        }
        return config.getDouble(key);
    }

    public int integer(String key, int fallback) {
        return config.hasPath(key) ? config.getInt(key) : fallback;
    }

    public long longInteger(String key, long fallback) {
        return config.hasPath(key) ? config.getLong(key) : fallback;
    }

    public boolean bool(String key, boolean fallback) {
        return config.hasPath(key) ? config.getBoolean(key) : fallback;
    }
}
