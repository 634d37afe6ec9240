package troupe.core.algo.policy;

/**
 * A policy-gradient surrogate loss over [B, L] token log-probs; selected by name through
 * {@link PolicyLosses}.
 */
@FunctionalInterface
public interface PolicyLoss {

    /** @return the aggregated loss (0-d, differentiable in {@code input.logp()}) and metrics */
    PolicyLossResult compute(PolicyLossInput input);
}
