package troupe.core.algo.kl;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;
import troupe.core.algo.Scalars;

/**
 * Per-token estimators of KL(π‖π_ref) from the log ratio x = logp − ref on a token sampled from
 * π (ALGORITHMS.md §2; Schulman, http://joschu.net/blog/kl-approx.html; verl {@code kl_penalty}).
 *
 * <pre>
 * k1  = x                       unbiased, may be negative; a good reward penalty, a useless loss
 *                               (its gradient ∇logπ has expectation 0)
 * k2  = ½ x²                    biased, ≥ 0; gradient expectation = ∇KL(π‖π_ref)
 * k3  = e^{−x} − 1 + x          unbiased, ≥ 0 ("low_var_kl"); gradient expectation = ∇KL(π_ref‖π)
 *                               verl clamps −x to ±logRatioClamp and the result to ±k3Clamp
 * abs = |x|
 * </pre>
 *
 * Example: logp = [−1, −2], ref = [−1.2, −1.5]: k1 = [0.2, −0.5], k2 = [0.02, 0.125],
 * k3 = [0.0187308, 0.1487213].
 */
public enum KlEstimator {
    K1("k1", "kl"),
    K2("k2", "mse"),
    K3("k3", "low_var_kl"),
    ABS("abs", "abs");

    private final String name;
    private final String alias;

    KlEstimator(String name, String alias) {
        this.name = name;
        this.alias = alias;
    }

    /** Config name: k1, k2, k3 or abs (verl aliases kl, mse, low_var_kl accepted). */
    public String configName() {
        return name;
    }

    /** Looks an estimator up by name or verl alias; unknown names list the supported ones. */
    public static KlEstimator fromName(String name) {
        for (KlEstimator e : values()) {
            if (e.name.equals(name) || e.alias.equals(name)) {
                return e;
            }
        }
        throw new IllegalArgumentException("Unknown KL estimator '" + name + "'; supported: "
                + String.join(", ", Arrays.stream(values()).map(e -> e.name).toList())
                + " (verl aliases kl, mse, low_var_kl)");
    }

    /** The estimate for one token, in plain double precision (no gradient). */
    public double estimate(double logp, double ref, KlSettings settings) {
        double x = logp - ref;
        switch (this) {
            case K1:
                return x;
            case K2:
                return 0.5 * x * x;
            case K3: {
                double negX = clamp(-x, settings.logRatioClamp());
                return clamp(Math.exp(negX) - negX - 1.0, settings.k3Clamp());
            }
            case ABS:
                return Math.abs(x);
            default:
                throw new AssertionError(this);
        }
    }

    /**
     * The estimate per token, differentiable in {@code logp} (and {@code ref} if it has a
     * gradient, which it normally does not).
     *
     * @param logp [B, L] current-policy log-probs
     * @param ref [B, L] reference log-probs
     * @return [B, L]; the caller masks and aggregates
     */
    public NDArray estimate(NDArray logp, NDArray ref, KlSettings settings) {
        NDArray x = logp.sub(ref); // [B, L]
        switch (this) {
            case K1:
                return x;
            case K2:
                return x.square().mul(Scalars.like(logp, 0.5));
            case K3: {
                NDArray negX = clip(x.neg(), settings.logRatioClamp());
                NDArray k3 = negX.exp().sub(negX).sub(Scalars.like(logp, 1.0));
                return clip(k3, settings.k3Clamp());
            }
            case ABS:
                return x.abs();
            default:
                throw new AssertionError(this);
        }
    }

    private static double clamp(double v, double bound) {
        return Math.max(-bound, Math.min(bound, v));
    }

    // NDArray.clip passes the bounds to libtorch as native scalars (no Java-buffer tensor).
    private static NDArray clip(NDArray v, double bound) {
        return Double.isInfinite(bound) ? v : v.clip(-bound, bound);
    }
}
