package troupe.core.algo.kl;

import troupe.core.config.ConfigReader;

/**
 * Settings of the KL coefficient β (ALGORITHMS.md §2), from the {@code troupe.learner.kl-controller}
 * block. The defaults, in reference.conf, follow verl {@code algorithm.kl_ctrl}: fixed, β = 0.001,
 * target 0.1, horizon 10000. Legacy TRL PPOConfig used adaptive, β₀ = 0.2, target 6, horizon 10000.
 *
 * @param type a {@link KlControllers} name: fixed | adaptive
 * @param initCoef β at step 0, ≥ 0
 * @param targetKl KL the adaptive controller steers towards, > 0 (nats, as reported by
 *     {@link KlPenalty#currentKl})
 * @param horizon steps (samples) over which a ±20 % error changes β by ±20 %, > 0
 */
public record KlControllerSettings(String type, double initCoef, double targetKl, long horizon) {

    public KlControllerSettings {
        if (!KlControllers.names().contains(type)) {
            throw new IllegalArgumentException("unknown KL controller '" + type + "'; supported: "
                    + String.join(", ", KlControllers.names()));
        }
        if (!(initCoef >= 0) || !(targetKl > 0) || horizon <= 0) {
            throw new IllegalArgumentException("KL controller needs kl-coef >= 0, target-kl > 0, horizon > 0");
        }
    }

    /** Reads every key of the block; a bad value fails naming its full key. */
    public static KlControllerSettings fromConfig(ConfigReader r) {
        return new KlControllerSettings(KlControllers.pick(r, "type"), r.doubleIn("kl-coef", 0, 1e6),
                r.doubleAbove("target-kl", 0, 1e6), r.longIn("horizon", 1, Long.MAX_VALUE));
    }

    /** The same controller starting from β = {@code beta} (a checkpoint's). */
    public KlControllerSettings withInitCoef(double beta) {
        return new KlControllerSettings(type, beta, targetKl, horizon);
    }
}
