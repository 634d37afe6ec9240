package troupe.core.algo.preference;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * APO's momentum step (He, Yuan, Gu, arXiv 2410.06293; ALGORITHMS.md §10): iterative preference
 * optimisation read as a proximal point method, accelerated by Nesterov extrapolation between
 * iterations. Iteration t trains (online) DPO against the anchor π̂_t and ends at θ_{t+1}; then
 *
 * <pre>
 * θ̂_{t+1} = θ_{t+1} + α(θ_{t+1} − θ_t)
 * </pre>
 *
 * becomes both the policy and the next anchor (reference). θ_t is the previous iteration's
 * trained weights (the initial weights for the first iteration). α = 0 is iterative DPO.
 *
 * <p>Weights or log-probs: the paper's algorithm states the step on policies,
 * π_{t+1} ∝ π̂_{t+1}·(π̂_{t+1}/π̂_t)^α, i.e. in log-prob space; a policy of that form has no
 * weights, and our reading of the paper is that its LLM experiments extrapolate the model
 * parameters as above. The search tool reached only the abstract of 2410.06293 (v1), not the
 * algorithm or experiment sections, so this reading is still unconfirmed: we extrapolate weights.
 * Example: θ_t = [1, 2], θ_{t+1} = [1.5, 1], α = 0.3 → [1.65, 0.7].
 */
public final class ApoExtrapolation {

    private ApoExtrapolation() {}

    /** θ + α(θ − previous), element-wise, one array. */
    public static float[] extrapolate(float[] previous, float[] trained, double alpha) {
        if (previous.length != trained.length) {
            throw new IllegalArgumentException("weights of " + previous.length + " and " + trained.length + " values");
        }
        float[] out = new float[trained.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (trained[i] + alpha * ((double) trained[i] - previous[i]));
        }
        return out;
    }

    /** Every named tensor of {@code trained} extrapolated from the same-named one of {@code previous}. */
    public static Map<String, float[]> extrapolate(Map<String, float[]> previous, Map<String, float[]> trained,
            double alpha) {
        if (!previous.keySet().equals(trained.keySet())) {
            throw new IllegalArgumentException("tensors " + trained.keySet() + " do not match " + previous.keySet());
        }
        Map<String, float[]> out = new LinkedHashMap<>();
        trained.forEach((name, t) -> out.put(name, extrapolate(previous.get(name), t, alpha)));
        return out;
    }
}
