package troupe.core.algo.kl;

import java.util.List;
import troupe.core.config.ConfigReader;
import troupe.core.config.Registry;

/**
 * The registry of KL controllers ({@link KlController}): fixed and adaptive, both read
 * {@link KlControllerSettings} from the {@code troupe.learner.kl-controller} block.
 *
 * <pre>{@code
 * KlController c = KlControllers.create(settings);     // settings.type() = "adaptive"
 * c = c.update(currentKl, batchSize);                 // immutable: keep the returned one
 * }</pre>
 */
public final class KlControllers {

    private static final Registry<KlController> REGISTRY = new Registry<KlController>("KL controller")
            .register("fixed", KlControllerSettings::fromConfig, s -> new KlController.Fixed(s.initCoef()))
            .register("adaptive", KlControllerSettings::fromConfig,
                    s -> new KlController.Adaptive(s.initCoef(), s.targetKl(), s.horizon()));

    private KlControllers() {}

    /** A controller at step 0 for {@code settings}. */
    public static KlController create(KlControllerSettings settings) {
        return REGISTRY.build(settings.type(), settings);
    }

    /** Controller {@code name} built from a {@code kl-controller} block. */
    public static KlController create(String name, ConfigReader block) {
        return REGISTRY.create(name, block);
    }

    /**
     * A controller resumed from a checkpointed {@code state}; its type must match the settings.
     *
     * @throws IllegalArgumentException when the checkpoint holds another type
     */
    public static KlController restore(KlControllerSettings settings, KlControllerState state) {
        if (!state.type().equals(settings.type())) {
            throw new IllegalArgumentException("checkpointed KL controller is '" + state.type()
                    + "' but settings ask for '" + settings.type() + "'");
        }
        return create(settings.withInitCoef(state.beta()));
    }

    static String pick(ConfigReader r, String key) {
        return REGISTRY.pick(r, key);
    }

    /** Supported names in registration order. */
    public static List<String> names() {
        return REGISTRY.names();
    }
}
