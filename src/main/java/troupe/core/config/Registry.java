package troupe.core.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One pluggable family (advantage estimators, policy losses, weighting strategies, reward
 * scorers, tasks, …): members by name, each reading a typed settings record from its own config
 * block and building from it. Config names select a member; an unknown name fails listing the
 * supported ones, so a typo is caught at start-up with the fix in the message (verl
 * {@code core_algos} registries). Every caller — learner, actors, CLI — reaches a family's
 * members only through its registry.
 *
 * @param <T> what a member builds: the thing itself, or a factory when it needs run-time inputs
 *     (a weighting strategy needs the run's objectives)
 */
public final class Registry<T> {

    /**
     * A member of the family.
     *
     * @param name the config name
     * @param settings reads and validates the member's settings from its block (errors name the key)
     * @param build makes the member from its settings
     * @param <S> the member's settings record
     */
    public record Member<S, T>(String name, Function<ConfigReader, ? extends S> settings,
            Function<? super S, ? extends T> build) {
        T create(ConfigReader block) {
            return build.apply(settings.apply(block));
        }
    }

    private final String family;
    private final Map<String, Member<?, T>> members = new LinkedHashMap<>();

    /** @param family what the members are, used in messages ("advantage estimator") */
    public Registry(String family) {
        this.family = family;
    }

    /** Adds a member; registering a name twice is a programming error. */
    public <S> Registry<T> register(String name, Function<ConfigReader, ? extends S> settings,
            Function<? super S, ? extends T> build) {
        if (members.putIfAbsent(name, new Member<S, T>(name, settings, build)) != null) {
            throw new IllegalStateException(family + " '" + name + "' registered twice");
        }
        return this;
    }

    /** What the members are ("advantage estimator"). */
    public String family() {
        return family;
    }

    /** Supported names in registration order. */
    public List<String> names() {
        return Collections.unmodifiableList(new ArrayList<>(members.keySet()));
    }

    public boolean has(String name) {
        return members.containsKey(name);
    }

    /** Builds member {@code name} from its block. @throws IllegalArgumentException for an unknown name */
    public T create(String name, ConfigReader block) {
        return member(name).create(block);
    }

    /**
     * Builds member {@code name} from a settings record its reader made earlier: a run reads and
     * validates its settings at start-up and builds members later (or again, on restore).
     *
     * @throws ClassCastException if {@code settings} is not the member's record (a programming error)
     */
    public T build(String name, Object settings) {
        return buildWith(member(name), settings);
    }

    @SuppressWarnings("unchecked") // the member's build function checks the record's type when applied
    private static <S, T> T buildWith(Member<S, T> m, Object settings) {
        return m.build().apply((S) settings);
    }

    /** Reads and validates member {@code name}'s settings from its block without building it. */
    public Object settings(String name, ConfigReader block) {
        return member(name).settings().apply(block);
    }

    /**
     * The member name at {@code key} of {@code r}, checked against the family.
     *
     * @throws SettingsException naming the key and listing the supported names
     */
    public String pick(ConfigReader r, String key) {
        String name = r.string(key);
        if (!members.containsKey(name)) {
            throw new SettingsException(r.key(key), "one of " + names() + " (" + family + ")", name);
        }
        return name;
    }

    private Member<?, T> member(String name) {
        Member<?, T> m = members.get(name);
        if (m == null) {
            throw new IllegalArgumentException("unknown " + family + " '" + name + "'; supported: "
                    + String.join(", ", members.keySet()));
        }
        return m;
    }
}
