package troupe.core.algo.policy;

import java.util.List;
import troupe.core.config.ConfigReader;
import troupe.core.config.Registry;

/**
 * The registry of policy losses — the learner's entry point for step (c):
 *
 * <pre>{@code
 * PolicyLoss pl = PolicyLosses.create(settings);                 // settings.loss() = "ppo-clip"
 * PolicyLossResult r = pl.compute(PolicyLossInput.of(logp, oldLogp, adv, mask)   // all [B, L]
 *         .withIsWeights(w).withTotals(totals));                 // both optional
 * NDArray total = r.loss().add(klLoss).add(entropyLoss);        // 0-d
 * }</pre>
 *
 * Names: ppo-clip (clip-higher + dual-clip, {@link PpoClipLoss}), pg (unclipped,
 * {@link PgLoss}); both read {@link PolicyLossSettings}. Unknown names fail listing these.
 */
public final class PolicyLosses {

    private static final Registry<PolicyLoss> REGISTRY = new Registry<PolicyLoss>("policy loss")
            .register("ppo-clip", PolicyLossSettings::fromConfig, PpoClipLoss::new)
            .register("pg", PolicyLossSettings::fromConfig, PgLoss::new);

    private PolicyLosses() {}

    /** The loss named by {@code settings.loss()}. */
    public static PolicyLoss create(PolicyLossSettings settings) {
        return REGISTRY.build(settings.loss(), settings);
    }

    /** The loss {@code name} built from a {@code policy-loss} block. */
    public static PolicyLoss create(String name, ConfigReader block) {
        return REGISTRY.create(name, block);
    }

    static String pick(ConfigReader r, String key) {
        return REGISTRY.pick(r, key);
    }

    public static List<String> names() {
        return REGISTRY.names();
    }
}
