package troupe.core.algo.policy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Computes {@link PolicyMetrics} on the host in double precision from detached copies, so the
 * metrics never enter the autograd graph. Cost: one device-to-host copy of four [B, L] arrays.
 */
final class PolicyMetricsCalculator {

    private PolicyMetricsCalculator() {}

    static PolicyMetrics compute(PolicyLossInput in, PolicyLossSettings s) {
        double[] logp = host(in.logp());
        double[] old = host(in.oldLogp());
        double[] adv = host(in.advantages());
        double[] mask = host(in.mask());
        double n = 0;
        double clip = 0;
        double dual = 0;
        double k1 = 0;
        double k2 = 0;
        double ratioSum = 0;
        for (int k = 0; k < mask.length; k++) {
            if (mask[k] == 0) {
                continue;
            }
            double x = Math.max(-s.logRatioClamp(), Math.min(s.logRatioClamp(), logp[k] - old[k]));
            double r = Math.exp(x);
            double l1 = -adv[k] * r;
            double l2 = -adv[k] * Math.max(1 - s.clipLow(), Math.min(1 + s.clipHigh(), r));
            n++;
            clip += l2 > l1 ? 1 : 0;
            dual += adv[k] < 0 && Math.max(l1, l2) > -adv[k] * s.dualClip() ? 1 : 0;
            k1 -= x; // the clamped log-ratio, as verl's compute_policy_loss_vanilla averages it into ppo_kl
            k2 += 0.5 * (logp[k] - old[k]) * (logp[k] - old[k]);
            ratioSum += r;
        }
        double d = Math.max(n, 1);
        return new PolicyMetrics(clip / d, dual / d, k1 / d, k2 / d, ratioSum / d, n);
    }

    private static double[] host(NDArray x) {
        try (NDArray detached = x.stopGradient(); NDArray copy = detached.toType(DataType.FLOAT64, true)) {
            return copy.toDoubleArray();
        }
    }
}
