package troupe.core.algo.preference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import troupe.core.algo.Scalars;

/** Shared pieces of the preference losses. */
final class PreferenceMath {

    private PreferenceMath() {}

    /** log σ(x) = −softplus(−x), stable for large |x|. */
    static NDArray logSigmoid(NDArray x) {
        return Activation.softPlus(x.neg()).neg();
    }

    /** h = [logπ(y_w) − logπ(y_l)] − [logπ_ref(y_w) − logπ_ref(y_l)], [N]. */
    static NDArray logRatioMargin(PreferenceBatch b, String loss) {
        NDArray policy = b.policyChosen().sub(b.policyRejected());
        NDArray ref = b.requireRefChosen(loss).sub(b.requireRefRejected(loss)).stopGradient();
        return policy.sub(ref);
    }

    /** β · x with β as a manager-owned tensor. */
    static NDArray scale(NDArray x, double beta) {
        return x.mul(Scalars.like(x, beta));
    }

    /** Mean over pairs of the implicit rewards β·chosen and β·rejected (host, no gradient). */
    static PreferenceMetrics metrics(NDArray chosen, NDArray rejected, double beta) {
        double[] c = host(chosen);
        double[] r = host(rejected);
        double acc = 0;
        double margin = 0;
        double cs = 0;
        double rs = 0;
        for (int i = 0; i < c.length; i++) {
            acc += c[i] > r[i] ? 1 : 0;
            margin += beta * (c[i] - r[i]);
            cs += beta * c[i];
            rs += beta * r[i];
        }
        double n = Math.max(c.length, 1);
        return new PreferenceMetrics(acc / n, margin / n, cs / n, rs / n);
    }

    /** Implicit-reward metrics with a reference model: rewards β(logπ − logπ_ref). */
    static PreferenceMetrics referenceMetrics(PreferenceBatch b, double beta, String loss) {
        return metrics(b.policyChosen().sub(b.requireRefChosen(loss)), b.policyRejected().sub(b.requireRefRejected(loss)), beta);
    }

    private static double[] host(NDArray x) {
        try (NDArray d = x.stopGradient(); NDArray copy = d.toType(DataType.FLOAT64, true)) {
            return copy.toDoubleArray();
        }
    }
}
