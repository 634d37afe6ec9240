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
}
