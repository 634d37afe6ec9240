package troupe.core.algo;

import ai.djl.ndarray.NDArray;

/**
 * How a per-token loss ℓ[B, L] becomes a scalar (ALGORITHMS.md §0; verl {@code agg_loss}).
 * One enum used by every loss in this package; config files name a mode in lower case with
 * dashes ({@code aggregation = "token-mean"}).
 *
 * <pre>
 * token-mean               Σ_{i,t} m ℓ / Σ_{i,t} m          verl default, DAPO (arXiv 2503.14476)
 * seq-mean-token-mean      (1/B) Σ_i (Σ_t m ℓ / n_i)        GRPO paper (arXiv 2402.03300)
 * seq-mean-token-sum       (1/B) Σ_i Σ_t m ℓ                verl option
 * seq-mean-token-sum-norm  Σ_{i,t} m ℓ / L                  verl "Dr. GRPO" (no division by B)
 * dr-grpo                  Σ_{i,t} m ℓ / (B · L)            TRL dr_grpo (arXiv 2503.20783)
 * </pre>
 *
 * Worked example: L = 4, ℓ_A = [2] (n = 1), ℓ_B = [1, 1, 1] (n = 3) gives 1.25, 1.5, 2.5, 1.25
 * and 0.625 respectively. A sequence with n_i = 0 contributes 0 (its denominator is taken as 1).
 */
public enum LossAggregation {
    TOKEN_MEAN("token-mean"),
    SEQ_MEAN_TOKEN_MEAN("seq-mean-token-mean"),
    SEQ_MEAN_TOKEN_SUM("seq-mean-token-sum"),
    SEQ_MEAN_TOKEN_SUM_NORM("seq-mean-token-sum-norm"),
    DR_GRPO("dr-grpo");

    private final String configName;

    LossAggregation(String configName) {
        this.configName = configName;
    }

    /** The name used in config files, e.g. {@code "token-mean"}. */
    public String configName() {
        return configName;
    }

    /** Aggregates over this batch alone: totals = (B, Σ mask, L) of {@code mask}. */
    public NDArray aggregate(NDArray loss, NDArray mask) {
        return aggregate(loss, mask, BatchTotals.of(mask));
    }

    /**
     * Aggregates one micro-batch with the denominators of the whole accumulated batch, so the
     * micro-batch results sum to the full-batch value.
     *
     * @param loss per-token loss [B, L]; masked positions are ignored whatever they hold
     * @param mask [B, L], 1 for real tokens
     * @param totals denominators over the whole optimisation batch
     * @return a 0-d tensor (differentiable in {@code loss})
     */
    public NDArray aggregate(NDArray loss, NDArray mask, BatchTotals totals) {
        FiniteChecks.requireShape("mask", mask, loss.getShape());
        NDArray masked = Masks.zeroMasked(loss, mask); // [B, L]
        NDArray one = Scalars.like(loss, 1.0);
        switch (this) {
            case TOKEN_MEAN:
                return masked.sum().div(Scalars.like(loss, Math.max(totals.tokens(), 1.0)));
            case SEQ_MEAN_TOKEN_MEAN: {
                NDArray n = Masks.asWeights(mask, loss).sum(new int[] {1}).maximum(one); // [B]
                return masked.sum(new int[] {1}).div(n).sum()
                        .div(Scalars.like(loss, Math.max(totals.sequences(), 1L)));
            }
            case SEQ_MEAN_TOKEN_SUM:
                return masked.sum().div(Scalars.like(loss, Math.max(totals.sequences(), 1L)));
            case SEQ_MEAN_TOKEN_SUM_NORM:
                return masked.sum().div(Scalars.like(loss, Math.max(totals.normLength(), 1L)));
            case DR_GRPO:
                return masked.sum().div(Scalars.like(loss,
                        Math.max((double) totals.sequences() * totals.normLength(), 1.0)));
            default:
                throw new AssertionError(this);
        }
    }
}
