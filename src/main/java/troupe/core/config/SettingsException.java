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

    public String key() {
        return key;
    }

    private static String render(Object found) {
        return found instanceof String s ? "\"" + s + "\"" : String.valueOf(found);
    }
}
