package troupe.core.algo.policy;

import troupe.core.algo.BatchTotals;
import troupe.core.algo.ReferenceAggregation;

/** Double-precision loop versions of the policy and value losses, used only by tests. */
final class ReferencePolicyLoss {

    private ReferencePolicyLoss() {}

    /** verl compute_policy_loss_vanilla for one token. */
    static double ppoToken(double adv, double ratio, PolicyLossSettings s) {
        double l1 = -adv * ratio;
        double l2 = -adv * Math.min(1 + s.clipHigh(), Math.max(1 - s.clipLow(), ratio));
        double clipped = Math.max(l1, l2);
        return adv < 0 ? Math.min(clipped, -adv * s.dualClip()) : clipped;
    }

    static double ppo(double[][] logp, double[][] old, double[][] adv, double[][] mask, double[][] w,
            PolicyLossSettings s, BatchTotals totals) {
        double[][] loss = new double[logp.length][];
        for (int i = 0; i < logp.length; i++) {
            loss[i] = new double[logp[i].length];
            for (int t = 0; t < logp[i].length; t++) {
                if (mask[i][t] == 0) {
                    continue;
                }
                double x = Math.min(s.logRatioClamp(), Math.max(-s.logRatioClamp(), logp[i][t] - old[i][t]));
                loss[i][t] = ppoToken(adv[i][t], Math.exp(x), s) * (w == null ? 1 : w[i][t]);
            }
        }
        return ReferenceAggregation.aggregate(s.aggregation().configName(), loss, mask, totals);
    }

    static double value(double[][] vNew, double[][] vOld, double[][] ret, double[][] mask, ValueLossSettings s) {
        double[][] loss = new double[vNew.length][];
        for (int i = 0; i < vNew.length; i++) {
            loss[i] = new double[vNew[i].length];
            for (int t = 0; t < vNew[i].length; t++) {
                double clip = vOld[i][t] + Math.min(s.clip(), Math.max(-s.clip(), vNew[i][t] - vOld[i][t]));
                loss[i][t] = Math.max(Math.pow(vNew[i][t] - ret[i][t], 2), Math.pow(clip - ret[i][t], 2));
            }
        }
        return 0.5 * s.coef() * ReferenceAggregation.aggregate(s.aggregation().configName(), loss, mask);
    }
}
