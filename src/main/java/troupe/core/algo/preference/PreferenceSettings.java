package troupe.core.algo.preference;

import com.typesafe.config.Config;
import troupe.core.algo.ConfigValues;

/**
 * Hyperparameters of the preference losses (ALGORITHMS.md §5). Defaults follow TRL
 * ({@code DPOConfig}, {@code CPOConfig}, {@code KTOConfig}) except where noted.
 *
 * <p>Config keys (optional): {@code loss}, {@code beta}, {@code label-smoothing},
 * {@code ipo-length-normalised}, {@code simpo-gamma}, {@code kto-desirable-weight},
 * {@code kto-undesirable-weight}.
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

    public static final PreferenceSettings DEFAULTS = new PreferenceSettings("dpo", 0.1, 0.1, true, 0.5, 1.0, 1.0);

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

    /** Reads the keys present in {@code config}; absent keys keep {@link #DEFAULTS}. */
    public static PreferenceSettings fromConfig(Config config) {
        ConfigValues c = new ConfigValues(config);
        return new PreferenceSettings(
                c.string("loss", DEFAULTS.loss),
                c.number("beta", DEFAULTS.beta),
                c.number("label-smoothing", DEFAULTS.labelSmoothing),
                c.bool("ipo-length-normalised", DEFAULTS.ipoLengthNormalised),
                c.number("simpo-gamma", DEFAULTS.simpoGamma),
                c.number("kto-desirable-weight", DEFAULTS.ktoDesirableWeight),
                c.number("kto-undesirable-weight", DEFAULTS.ktoUndesirableWeight));
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
