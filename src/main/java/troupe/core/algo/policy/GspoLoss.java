package troupe.core.algo.policy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;
import troupe.core.algo.LossAggregation;
import troupe.core.algo.Masks;
import troupe.core.algo.Scalars;

/**
 * GSPO, group sequence policy optimisation (Zheng et al., arXiv 2507.18071; ALGORITHMS.md §10):
 * the importance ratio and its clip are taken per sequence, not per token.
 *
 * <pre>
 * s_i = exp( clamp( (1/|y_i|)·Σ_t (logπ − logπ_old), ±log-ratio-clamp ) )
 * L   = −mean_i min( s_i·A_i, clip(s_i, 1 − ε_l, 1 + ε_h)·A_i )      ε_l = 3e-4, ε_h = 4e-4 (§5.1)
 * </pre>
 *
 * Computed in the token form of verl's {@code compute_policy_loss_gspo} (GSPO-token, §4.3):
 * per token s_{i,t} = sg(s_i)·exp(logπ_t − sg(logπ_t)), whose value is s_i and whose gradient is
 * s_i·∇logπ_t, then the clipped surrogate per token and the sequence-mean of token-means. With
 * one advantage per row (every outcome estimator) this equals the sequence form above in value
 * and gradient; with per-token advantages it is GSPO-token. The aggregation is always
 * seq-mean-token-mean whatever {@code policy-loss.aggregation} says (the paper's mean over
 * sequences; verl does the same), there is no dual clip, and the optional importance weights
 * multiply the per-token terms as in {@link PpoClipLoss}.
 *
 * <p>Example: token log-ratios [0.1, −0.05, 0.2] give s = 1.086904; with A = 1 the term is
 * clipped to −1.0004 (no gradient); with A = −1 it is unclipped, loss 1.086904, gradient
 * s/|y| = 0.362301 per token. One-token responses make it PPO-clip without dual clip.
 * Shapes: every input [B, L]; the loss is 0-d.
 */
public final class GspoLoss implements PolicyLoss {
    public static final String NAME = "gspo";

    private final PolicyLossSettings settings;

    public GspoLoss(PolicyLossSettings settings) {
        this.settings = settings.withAggregation(LossAggregation.SEQ_MEAN_TOKEN_MEAN);
    }

    @Override
    public PolicyLossResult compute(PolicyLossInput in) {
        NDArray seqRatio = sequenceRatio(in, settings.logRatioClamp()); // [B, L], s_i at each token
        NDArray negAdv = in.maskedAdvantages().neg();
        NDArray loss1 = negAdv.mul(seqRatio);
        NDArray loss2 = negAdv.mul(seqRatio.clip(1.0 - settings.clipLow(), 1.0 + settings.clipHigh()));
        NDArray loss = in.aggregate(NDArrays.maximum(loss1, loss2), settings);
        PolicyMetrics tokenLevel = PolicyMetricsCalculator.compute(in, settings);
        double[] stats = clipStats(seqRatio, in.advantages(), in.mask(), settings);
        return new PolicyLossResult(loss, new PolicyMetrics(stats[0], 0, tokenLevel.approxKlK1(),
                tokenLevel.approxKlK2(), stats[1], tokenLevel.tokens()));
    }

    /** sg(s_i)·exp(logπ − sg(logπ)) per token, [B, L]: value s_i, gradient s_i·∇logπ_t. */
    static NDArray sequenceRatio(PolicyLossInput in, double logRatioClamp) {
        NDArray current = Masks.zeroMasked(in.logp(), in.mask()); // [B, L]
        NDArray old = Masks.zeroMasked(in.oldLogp(), in.mask()).stopGradient();
        NDArray lengths = Masks.asWeights(in.mask(), in.logp()).sum(new int[] {1})
                .maximum(Scalars.like(in.logp(), 1.0)); // [B]
        NDArray meanLogRatio = current.sub(old).sum(new int[] {1}).div(lengths)
                .clip(-logRatioClamp, logRatioClamp).stopGradient(); // [B]
        NDArray tokenFactor = current.sub(current.stopGradient()).exp(); // [B, L], value 1
        return tokenFactor.mul(meanLogRatio.exp().expandDims(1));
    }

    /**
     * {share of real tokens whose sequence took the clipped branch, token-mean of s}, on the host
     * (one copy of three [B, L] arrays), as verl reports {@code pg_clipfrac} for GSPO.
     */
    private static double[] clipStats(NDArray seqRatio, NDArray advantages, NDArray mask, PolicyLossSettings s) {
        double[] r = host(seqRatio);
        double[] a = host(advantages);
        double[] w = host(mask);
        double n = 0;
        double clipped = 0;
        double ratio = 0;
        for (int k = 0; k < w.length; k++) {
            if (w[k] == 0) {
                continue;
            }
            double l1 = -a[k] * r[k];
            double l2 = -a[k] * Math.max(1 - s.clipLow(), Math.min(1 + s.clipHigh(), r[k]));
            n++;
            clipped += l2 > l1 ? 1 : 0;
            ratio += r[k];
        }
        return new double[] {clipped / Math.max(n, 1), ratio / Math.max(n, 1)};
    }

    static double[] host(NDArray x) {
        try (NDArray detached = x.stopGradient(); NDArray copy = detached.toType(DataType.FLOAT64, true)) {
            return copy.toDoubleArray();
        }
    }
}
