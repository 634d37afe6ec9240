package troupe.core.algo.kl;

import java.util.List;
import java.util.Map;
import troupe.core.config.ConfigReader;
import troupe.core.config.Registry;
import troupe.core.config.SettingsException;

/**
 * The registry of KL estimators ({@link KlEstimator}): k1, k2, k3, abs, each built from the
 * {@link KlSettings} of the {@code troupe.learner.kl} block (only k3 reads its clamps). verl's
 * names kl, mse and low_var_kl are accepted as aliases of k1, k2 and k3.
 *
 * <pre>{@code
 * KlEstimator k3 = KlEstimators.create("k3", settings);
 * NDArray kl = k3.estimate(logp, ref);        // [B, L]
 * }</pre>
 */
public final class KlEstimators {

    private static final Registry<KlEstimator> REGISTRY = new Registry<KlEstimator>("KL estimator")
            .register("k1", KlSettings::fromConfig, s -> new KlEstimator.K1())
            .register("k2", KlSettings::fromConfig, s -> new KlEstimator.K2())
            .register("k3", KlSettings::fromConfig, s -> new KlEstimator.K3(s.logRatioClamp(), s.k3Clamp()))
            .register("abs", KlSettings::fromConfig, s -> new KlEstimator.Abs());

    /** verl's {@code kl_penalty} names. */
    private static final Map<String, String> VERL_ALIASES = Map.of("kl", "k1", "mse", "k2", "low_var_kl", "k3");

    private KlEstimators() {}

    /** Estimator {@code name} (or a verl alias) with the clamps of {@code settings}. */
    public static KlEstimator create(String name, KlSettings settings) {
        return REGISTRY.build(canonical(name), settings);
    }

    /** Estimator {@code name} built from a {@code kl} block. */
    public static KlEstimator create(String name, ConfigReader block) {
        return REGISTRY.create(canonical(name), block);
    }

    /** Supported names in registration order (aliases not included). */
    public static List<String> names() {
        return REGISTRY.names();
    }

    /**
     * The registry name for {@code name} or its verl alias.
     *
     * @throws IllegalArgumentException for an unknown name, listing the supported ones
     */
    static String canonical(String name) {
        String c = VERL_ALIASES.getOrDefault(name, name);
        if (!REGISTRY.has(c)) {
            throw new IllegalArgumentException("unknown KL estimator '" + name + "'; supported: "
                    + String.join(", ", names()) + " (verl aliases kl, mse, low_var_kl)");
        }
        return c;
    }

    /** The estimator name at {@code key} of {@code r}, alias resolved; an unknown one fails naming the key. */
    static String pick(ConfigReader r, String key) {
        String name = r.string(key);
        try {
            return canonical(name);
        } catch (IllegalArgumentException e) {
            throw new SettingsException(r.key(key), "one of " + names() + " (KL estimator; verl aliases kl, mse, "
                    + "low_var_kl)", name);
        }
    }
}
