package troupe.core.model.sampling;

/**
 * How responses are sampled (ALGORITHMS.md §9: temperature → top-k → top-p → sample). Mirrors
 * {@code troupe.core.rollout.SamplingParams} field for field so the actor layer maps one to the other.
 *
 * @param temperature softmax temperature T &gt; 0 (ignored when greedy)
 * @param topK keep tokens whose tempered logit is ≥ the k-th largest; ≤ 0 disables
 * @param topP nucleus mass in (0, 1]; 1 disables
 * @param maxNewTokens response length limit ≥ 1 (EOS included)
 * @param seed seed of the per-sequence random streams
 * @param greedy argmax decoding; the sampler log-prob is then 0 (a point mass)
 * @param learnerTemperature temperature of the second, untruncated log-prob returned per token
 */
public record SamplingSettings(double temperature, int topK, double topP, int maxNewTokens, long seed, boolean greedy,
                               double learnerTemperature) {

    /** HF generate's defaults: T 1, no top-k, no top-p; 64 new tokens; learner at T 1. */
    public static SamplingSettings defaults() {
        return new SamplingSettings(1.0, 0, 1.0, 64, 0L, false, 1.0);
    }

    public SamplingSettings {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
        }
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("max-new-tokens must be >= 1, got " + maxNewTokens);
        }
        if (!(learnerTemperature > 0)) {
            throw new IllegalArgumentException("learner temperature must be > 0, got " + learnerTemperature);
        }
    }

    public SamplingSettings withSeed(long s) {
        return new SamplingSettings(temperature, topK, topP, maxNewTokens, s, greedy, learnerTemperature);
    }

    public SamplingSettings withMaxNewTokens(int n) {
        return new SamplingSettings(temperature, topK, topP, n, seed, greedy, learnerTemperature);
    }

    public SamplingSettings withGreedy(boolean g) {
        return new SamplingSettings(temperature, topK, topP, maxNewTokens, seed, g, learnerTemperature);
    }
}
