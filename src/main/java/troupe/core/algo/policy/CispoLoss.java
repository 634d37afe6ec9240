package troupe.core.algo.policy;

import ai.djl.ndarray.NDArray;
import troupe.core.algo.Masks;

/**
 * CISPO, clipped importance-sampling-weight policy optimisation (MiniMax-M1, arXiv 2506.13585;
 * ALGORITHMS.md §10): every token keeps its gradient; the importance weight is clipped and its
 * gradient stopped.
 *
 * <pre>
 * ℓ_t  = −sg( clip(r_t, 1 − ε_l, 1 + ε_h) )·A_t·logπ(y_t)       r_t = exp(clamp(logπ − logπ_old))
 * loss = agg(ℓ)                                               (token-mean: Σ ℓ / Σ|y_i|, the paper's)
 * </pre>
 *
 * Troupe's convention (reference.conf {@code policy-loss.cispo}): ε are relative, as for
 * ppo-clip and verl's {@code clip_ratio_low/high}; the default ε_l = 1 puts the floor at 0, i.e.
 * no lower clip, as the paper and verl's CISPO recipe ({@code clip_ratio_low=10}) do, and
 * ε_h = 0.2 is that recipe's {@code clip_ratio_high} (verl {@code examples/cispo_trainer}, read
 * through the search tool). TRL's {@code epsilon_high} for CISPO is instead an absolute cap on r
 * (TRL 1.2 = Troupe 0.2).
 *
 * <p>Example: r = [1.5, 0.9], ε_h = 0.2, no floor, A = 2, logπ = [−1, −2]: weights [1.2, 0.9],
 * L = 3.0. Shapes: every input [B, L]; the loss is 0-d.
 */
public final class CispoLoss implements PolicyLoss {
    public static final String NAME = "cispo";

    private final PolicyLossSettings settings;

    public CispoLoss(PolicyLossSettings settings) {
        this.settings = settings;
    }

    @Override
    public PolicyLossResult compute(PolicyLossInput in) {
        NDArray ratio = in.ratio(settings.logRatioClamp()); // [B, L]
        NDArray weight = ratio.clip(1.0 - settings.clipLow(), 1.0 + settings.clipHigh()).stopGradient();
        NDArray logp = Masks.zeroMasked(in.logp(), in.mask());
        NDArray perToken = in.maskedAdvantages().neg().mul(weight).mul(logp);
        NDArray loss = in.aggregate(perToken, settings);
        PolicyMetrics m = PolicyMetricsCalculator.compute(in, settings);
        return new PolicyLossResult(loss, new PolicyMetrics(truncatedFraction(ratio, in.mask()), 0, m.approxKlK1(),
                m.approxKlK2(), m.ratioMean(), m.tokens()));
    }

    /** Share of real tokens whose weight the clip changed (CISPO truncates whatever the advantage's sign). */
    private double truncatedFraction(NDArray ratio, NDArray mask) {
        double[] r = GspoLoss.host(ratio);
        double[] w = GspoLoss.host(mask);
        double n = 0;
        double cut = 0;
        for (int k = 0; k < w.length; k++) {
            if (w[k] != 0) {
                n++;
                cut += r[k] > 1 + settings.clipHigh() || r[k] < 1 - settings.clipLow() ? 1 : 0;
            }
        }
        return cut / Math.max(n, 1);
    }
}
