package troupe.core.algo.preference;

import troupe.core.config.Registry;

/**
 * The registry of preference losses:
 *
 * <pre>{@code
 * PreferenceLoss loss = PreferenceLosses.create(settings);          // settings.loss() = "dpo"
 * PreferenceLossResult r = loss.compute(PreferenceBatch.of(piW, piL, refW, refL));   // [N] each
 * }</pre>
 *
 * Names: dpo, cdpo, rdpo, ipo, simpo, kto; all read {@link PreferenceSettings}. Pairs for online
 * DPO come from {@link OnlinePairSelector}. Unknown names fail listing these.
 */
public final class PreferenceLosses {

    /** The family; names, picks and builds from a config block go to it directly. */
    public static final Registry<PreferenceLoss> REGISTRY = new Registry<PreferenceLoss>("preference loss")
            .register("dpo", PreferenceSettings::fromConfig, DpoLoss::dpo)
            .register("cdpo", PreferenceSettings::fromConfig, DpoLoss::cdpo)
            .register("rdpo", PreferenceSettings::fromConfig, RobustDpoLoss::new)
            .register("ipo", PreferenceSettings::fromConfig, IpoLoss::new)
            .register("simpo", PreferenceSettings::fromConfig, SimpoLoss::new)
            .register("kto", PreferenceSettings::fromConfig, KtoLoss::new);

    private PreferenceLosses() {}

    /** The loss named by {@code settings.loss()}. */
    public static PreferenceLoss create(PreferenceSettings settings) {
        return REGISTRY.build(settings.loss(), settings);
    }
}
