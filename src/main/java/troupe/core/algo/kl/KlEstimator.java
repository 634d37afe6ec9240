package troupe.core.algo.kl;

import ai.djl.ndarray.NDArray;
import troupe.core.algo.Scalars;

/**
 * A per-token estimator of KL(π‖π_ref) from the log ratio x = logp − ref on a token sampled from
 * π (ALGORITHMS.md §2; Schulman, http://joschu.net/blog/kl-approx.html; verl {@code kl_penalty}).
 * Members are registered by name in {@link KlEstimators}:
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
public sealed interface KlEstimator {

    /** Registry name: k1, k2, k3 or abs. */
    String name();

    /** The estimate for one token, in plain double precision (no gradient). */
    double estimate(double logp, double ref);

    /**
     * The estimate per token, differentiable in {@code logp} (and {@code ref} if it has a
     * gradient, which it normally does not).
     *
     * @param logp [B, L] current-policy log-probs
     * @param ref [B, L] reference log-probs
     * @return [B, L]; the caller masks and aggregates
     */
    NDArray estimate(NDArray logp, NDArray ref);

    /** k1 = x. */
    record K1() implements KlEstimator {
        @Override
        public String name() {
            return "k1";
        }

        @Override
        public double estimate(double logp, double ref) {
            return logp - ref;
        }

        @Override
        public NDArray estimate(NDArray logp, NDArray ref) {
            return logp.sub(ref); // [B, L]
        }
    }

    /** k2 = ½ x². */
    record K2() implements KlEstimator {
        @Override
        public String name() {
            return "k2";
        }

        @Override
        public double estimate(double logp, double ref) {
            double x = logp - ref;
            return 0.5 * x * x;
        }

        @Override
        public NDArray estimate(NDArray logp, NDArray ref) {
            return logp.sub(ref).square().mul(Scalars.like(logp, 0.5));
        }
    }

    /**
     * k3 = e^{−x} − 1 + x with verl's clamps.
     *
     * @param logRatioClamp −x is clamped to ±this before exp (verl 20; ∞ = OpenRLHF/TRL)
     * @param k3Clamp the result is clamped to ±this (verl 10; ∞ = no clamp)
     */
    record K3(double logRatioClamp, double k3Clamp) implements KlEstimator {
        @Override
        public String name() {
            return "k3";
        }

        @Override
        public double estimate(double logp, double ref) {
            double negX = clamp(-(logp - ref), logRatioClamp);
            return clamp(Math.exp(negX) - negX - 1.0, k3Clamp);
        }

        @Override
        public NDArray estimate(NDArray logp, NDArray ref) {
            NDArray negX = clip(logp.sub(ref).neg(), logRatioClamp); // [B, L]
            NDArray k3 = negX.exp().sub(negX).sub(Scalars.like(logp, 1.0));
            return clip(k3, k3Clamp);
        }

        private static double clamp(double v, double bound) {
            return Math.max(-bound, Math.min(bound, v));
        }

        // NDArray.clip passes the bounds to libtorch as native scalars (no Java-buffer tensor).
        private static NDArray clip(NDArray v, double bound) {
            return Double.isInfinite(bound) ? v : v.clip(-bound, bound);
        }
    }

    /** abs = |x|. */
    record Abs() implements KlEstimator {
        @Override
        public String name() {
            return "abs";
        }

        @Override
        public double estimate(double logp, double ref) {
            return Math.abs(logp - ref);
        }

        @Override
        public NDArray estimate(NDArray logp, NDArray ref) {
            return logp.sub(ref).abs();
        }
    }
}
