package troupe.core.algo.policy;

import java.util.List;
import java.util.function.Function;
import troupe.core.algo.Registry;

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
 * {@link PgLoss}). Unknown names fail listing these.
 */
public final class PolicyLosses {

    private static final Registry<Function<PolicyLossSettings, PolicyLoss>> REGISTRY =
            new Registry<Function<PolicyLossSettings, PolicyLoss>>("policy loss")
                    .register("ppo-clip", PpoClipLoss::new)
                    .register("pg", PgLoss::new);

    private PolicyLosses() {}

    /** The loss named by {@code settings.loss()}. */
    public static PolicyLoss create(PolicyLossSettings settings) {
        return REGISTRY.get(settings.loss()).apply(settings);
    }

    public static List<String> names() {
        return REGISTRY.names();
    }
}
