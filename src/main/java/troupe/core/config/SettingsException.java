package troupe.core.config;

/**
 * A configuration value that cannot be used: names the full key, what was expected and what
 * was found, so `troupe config check` and start-up can report it and exit with status 2.
 */
public final class SettingsException extends RuntimeException {
    private final String key;

    public SettingsException(String key, String expected, Object found) {
        super(key + ": expected " + expected + ", found " + render(found));
        this.key = key;
    }

    private SettingsException(String key, String message, boolean raw) {
        super(message);
        this.key = key;
    }

    /** A problem a settings factory reported in its own words, attributed to {@code key}. */
    public static SettingsException because(String key, String problem) {
        return new SettingsException(key, key + ": " + problem, true);
    }

    public String key() {
        return key;
    }

    private static String render(Object found) {
        return found instanceof String s ? "\"" + s + "\"" : String.valueOf(found);
    }
}
