package troupe.core.algo.policy;

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
 * {@link PgLoss}), gspo (sequence-level ratio, {@link GspoLoss}), cispo (clipped stop-gradient
 * importance weights, {@link CispoLoss}); all read {@link PolicyLossSettings}, gspo and cispo
 * with the clip range of their own sub-block. Unknown names fail listing these.
 */
public final class PolicyLosses {

    /** The family; names, picks and builds from a config block go to it directly. */
    public static final Registry<PolicyLoss> REGISTRY = new Registry<PolicyLoss>("policy loss")
            .register("ppo-clip", PolicyLossSettings::fromConfig, PpoClipLoss::new)
            .register("pg", PolicyLossSettings::fromConfig, PgLoss::new)
            .register(GspoLoss.NAME, r -> PolicyLossSettings.fromConfig(r, GspoLoss.NAME), GspoLoss::new)
            .register(CispoLoss.NAME, r -> PolicyLossSettings.fromConfig(r, CispoLoss.NAME), CispoLoss::new);

    private PolicyLosses() {}

    /** The loss named by {@code settings.loss()}. */
    public static PolicyLoss create(PolicyLossSettings settings) {
        return REGISTRY.build(settings.loss(), settings);
    }
}
