package troupe.core.algo.policy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import troupe.core.algo.BatchTotals;
import troupe.core.algo.FiniteChecks;
import troupe.core.algo.Masks;
import troupe.core.algo.Scalars;

/**
 * Clipped value loss (PPO; verl {@code compute_value_loss}):
 *
 * <pre>
 * v_clip = V_old + clip(V_new − V_old, −ε_v, ε_v)
 * loss   = coef · ½ · agg(max((V_new − R)², (v_clip − R)²))
 * </pre>
 *
 * Example: V_old = 0.5, V_new = 0.9, R = 1, ε_v = 0.2: ½·max(0.01, 0.09) = 0.045.
 * Shapes: all [B, L]; loss 0-d, differentiable in {@code vNew}.
 */
public final class ValueLoss {

    private ValueLoss() {}

    /**
     * @param loss 0-d, already multiplied by {@code coef}
     * @param clipFraction share of real tokens where the clipped branch is larger
     */
    public record Result(NDArray loss, double clipFraction) {}

    public static Result compute(NDArray vNew, NDArray vOld, NDArray returns, NDArray mask,
            ValueLossSettings settings, BatchTotals totals) {
        for (var e : java.util.Map.of("vOld", vOld, "returns", returns, "mask", mask).entrySet()) {
            FiniteChecks.requireShape(e.getKey(), e.getValue(), vNew.getShape());
            FiniteChecks.requireFinite(e.getKey(), e.getValue());
        }
        FiniteChecks.requireFinite("vNew", vNew);
        NDArray v = Masks.zeroMasked(vNew, mask); // [B, L]
        NDArray old = Masks.zeroMasked(vOld, mask).stopGradient();
        NDArray ret = Masks.zeroMasked(returns, mask).stopGradient();
        NDArray vClip = old.add(v.sub(old).clip(-settings.clip(), settings.clip()));
        NDArray l1 = v.sub(ret).square();
        NDArray l2 = vClip.sub(ret).square();
        NDArray perToken = NDArrays.maximum(l1, l2);
        NDArray agg = settings.aggregation().aggregate(perToken, mask, totals == null ? BatchTotals.of(mask) : totals);
        NDArray loss = agg.mul(Scalars.like(vNew, 0.5 * settings.coef()));
        double clipFraction;
        try (NDArray gt = l2.gt(l1); NDArray both = gt.logicalAnd(Masks.asBoolean(mask));
                NDArray count = both.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).sum()) {
            clipFraction = count.getDouble() / Math.max(BatchTotals.of(mask).tokens(), 1);
        }
        return new Result(loss, clipFraction);
    }

    /**
     * verl's {@code critic/vf_explained_var}: 1 − Var(R − V)/Var(R) over the real tokens
     * (population variances), with the critic's values V from before the update. 1 = the critic
     * predicts the returns, 0 = no better than their mean, negative = worse. Example: R = [1, 2, 3],
     * V = [1, 2, 3] → 1; V = [2, 2, 2] → 0; V = [3, 2, 1] → −3. NaN when Var(R) = 0 or no token is real.
     *
     * @param returns [B][L]
     * @param values [B][L]
     * @param mask [B][L]
     */
    public static double explainedVariance(double[][] returns, double[][] values, double[][] mask) {
        double n = 0;
        double sumR = 0;
        double sumD = 0;
        for (int i = 0; i < mask.length; i++) {
            for (int t = 0; t < mask[i].length; t++) {
                n += mask[i][t];
                sumR += mask[i][t] * returns[i][t];
                sumD += mask[i][t] * (returns[i][t] - values[i][t]);
            }
        }
        if (n == 0) {
            return Double.NaN;
        }
        double meanR = sumR / n;
        double meanD = sumD / n;
        double varR = 0;
        double varD = 0;
        for (int i = 0; i < mask.length; i++) {
            for (int t = 0; t < mask[i].length; t++) {
                double d = returns[i][t] - values[i][t] - meanD;
                double e = returns[i][t] - meanR;
                varR += mask[i][t] * e * e;
                varD += mask[i][t] * d * d;
            }
        }
        return varR == 0 ? Double.NaN : 1 - varD / varR;
    }
}
