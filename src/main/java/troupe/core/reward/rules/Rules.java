package troupe.core.reward.rules;

import troupe.core.config.ConfigReader;
import troupe.core.config.SettingsException;

/** Settings the reward rules share. */
final class Rules {

    private Rules() {
    }

    private static final java.util.regex.Pattern OBJECTIVE = java.util.regex.Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    /** The {@code objective} key: a valid objective name (checked here so the error names the key). */
    static String objective(ConfigReader r) {
        String o = r.string("objective");
        if (!OBJECTIVE.matcher(o).matches()) {
            throw new SettingsException(r.key("objective"), "1..64 characters of [A-Za-z0-9_.-]", o);
        }
        return o;
    }

    /** The {@code field} key: a non-blank dataset field name. */
    static String field(ConfigReader r) {
        String f = r.string("field");
        if (f.isBlank()) {
            throw new SettingsException(r.key("field"), "a dataset field name", f);
        }
        return f;
    }
}
