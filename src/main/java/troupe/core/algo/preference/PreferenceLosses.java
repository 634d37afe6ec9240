package troupe.core.algo.preference;

import java.util.List;
import java.util.function.Function;
import troupe.core.algo.Registry;

/**
 * The registry of preference losses:
 *
 * <pre>{@code
 * PreferenceLoss loss = PreferenceLosses.create(settings);          // settings.loss() = "dpo"
 * PreferenceLossResult r = loss.compute(PreferenceBatch.of(piW, piL, refW, refL));   // [N] each
 * }</pre>
 *
 * Names: dpo, cdpo, rdpo, ipo, simpo, kto. Pairs for online DPO come from
 * {@link OnlinePairSelector}. Unknown names fail listing these.
 */
public final class PreferenceLosses {

    private static final Registry<Function<PreferenceSettings, PreferenceLoss>> REGISTRY =
            new Registry<Function<PreferenceSettings, PreferenceLoss>>("preference loss")
                    .register("dpo", DpoLoss::dpo)
                    .register("cdpo", DpoLoss::cdpo)
                    .register("rdpo", RobustDpoLoss::new)
                    .register("ipo", IpoLoss::new)
                    .register("simpo", SimpoLoss::new)
                    .register("kto", KtoLoss::new);

    private PreferenceLosses() {}

    /** The loss named by {@code settings.loss()}. */
    public static PreferenceLoss create(PreferenceSettings settings) {
        return REGISTRY.get(settings.loss()).apply(settings);
    }

    public static List<String> names() {
        return REGISTRY.names();
    }
}
