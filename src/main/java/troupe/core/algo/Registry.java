package troupe.core.algo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Name → entry table behind every pluggable family (advantage estimators, policy losses, KL
 * estimators, preference losses). Config names select from it; an unknown name fails with an
 * {@link IllegalArgumentException} that lists the supported names, so a typo in a config file
 * is caught at start-up with the fix in the message (verl {@code core_algos} registries).
 *
 * @param <T> the entry type, usually a factory taking a settings record
 */
public final class Registry<T> {

    private final String family;
    private final Map<String, T> entries = new LinkedHashMap<>();

    /** @param family what the entries are, used in the error message ("advantage estimator") */
    public Registry(String family) {
        this.family = family;
    }

    /** Adds an entry; registering a name twice is a programming error. */
    public Registry<T> register(String name, T entry) {
        if (entries.putIfAbsent(name, entry) != null) {
            throw new IllegalStateException(family + " '" + name + "' registered twice");
        }
        return this;
    }

    /** The entry for {@code name}, or an exception listing every supported name. */
    public T get(String name) {
        T entry = entries.get(name);
        if (entry == null) {
            throw new IllegalArgumentException("Unknown " + family + " '" + name + "'; supported: "
                    + String.join(", ", entries.keySet()));
        }
        return entry;
    }

    /** Supported names in registration order. */
    public List<String> names() {
        return Collections.unmodifiableList(new ArrayList<>(entries.keySet()));
    }
}
