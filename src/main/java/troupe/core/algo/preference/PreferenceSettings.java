package troupe.core.algo.preference;

import troupe.core.config.ConfigReader;

/**
 * Hyperparameters of the preference losses (ALGORITHMS.md §5), from the
 * {@code troupe.learner.preference} block. The defaults, in reference.conf, follow TRL
 * ({@code DPOConfig}, {@code CPOConfig}, {@code KTOConfig}) except where noted.
 *
 * <p>Config keys: {@code loss}, {@code beta}, {@code label-smoothing},
 * {@code ipo-length-normalised}, {@code simpo-gamma}, {@code kto-desirable-weight},
 * {@code kto-undesirable-weight} ({@code min-reward-gap} of the same block belongs to online DPO's
 * pair selection).
 *
 * @param loss registry name, see {@link PreferenceLosses#names()}
 * @param beta β (τ for IPO); TRL 0.1. SimPO papers use far larger β (2–10)
 * @param labelSmoothing ε of cDPO and robust DPO, in [0, 0.5); TRL's default 0 makes both plain
 *     DPO, so ours is 0.1, the value of the §5 example
 * @param ipoLengthNormalised IPO on per-token average log-probs (TRL DPO) rather than sums (OpenRLHF)
 * @param simpoGamma γ, the SimPO target margin; TRL CPO 0.5
 * @param ktoDesirableWeight λ_D; TRL 1
 * @param ktoUndesirableWeight λ_U; TRL 1
 */
public record PreferenceSettings(String loss, double beta, double labelSmoothing, boolean ipoLengthNormalised,
        double simpoGamma, double ktoDesirableWeight, double ktoUndesirableWeight) {

    public PreferenceSettings {
        if (!(beta > 0)) {
            throw new IllegalArgumentException("beta must be positive, got " + beta);
        }
        if (!(labelSmoothing >= 0 && labelSmoothing < 0.5)) {
            throw new IllegalArgumentException("label-smoothing must lie in [0, 0.5), got " + labelSmoothing);
        }
        if (!(ktoDesirableWeight >= 0) || !(ktoUndesirableWeight >= 0)) {
            throw new IllegalArgumentException("KTO weights must be non-negative");
        }
    }

    /** Reads every key of the block; a bad value fails naming its full key. */
    public static PreferenceSettings fromConfig(ConfigReader r) {
        return new PreferenceSettings(
                PreferenceLosses.REGISTRY.pick(r, "loss"),
                r.doubleAbove("beta", 0, 1e6),
                r.doubleIn("label-smoothing", 0, 0.499999),
                r.bool("ipo-length-normalised"),
                r.doubleIn("simpo-gamma", -1e6, 1e6),
                r.doubleIn("kto-desirable-weight", 0, 1e6),
                r.doubleIn("kto-undesirable-weight", 0, 1e6));
    }

    public PreferenceSettings withLoss(String name) {
        return new PreferenceSettings(name, beta, labelSmoothing, ipoLengthNormalised, simpoGamma, ktoDesirableWeight, ktoUndesirableWeight);
    }

    public PreferenceSettings withBeta(double b) {
        return new PreferenceSettings(loss, b, labelSmoothing, ipoLengthNormalised, simpoGamma, ktoDesirableWeight, ktoUndesirableWeight);
    }

    public PreferenceSettings withLabelSmoothing(double eps) {
        return new PreferenceSettings(loss, beta, eps, ipoLengthNormalised, simpoGamma, ktoDesirableWeight, ktoUndesirableWeight);
    }

    public PreferenceSettings withIpoLengthNormalised(boolean normalised) {
        return new PreferenceSettings(loss, beta, labelSmoothing, normalised, simpoGamma, ktoDesirableWeight, ktoUndesirableWeight);
    }

    public PreferenceSettings withSimpoGamma(double gamma) {
        return new PreferenceSettings(loss, beta, labelSmoothing, ipoLengthNormalised, gamma, ktoDesirableWeight, ktoUndesirableWeight);
    }
}
