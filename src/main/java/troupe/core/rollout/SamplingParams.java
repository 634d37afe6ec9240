package troupe.core.rollout;

/**
 * How responses are sampled (ALGORITHMS.md §9: temperature → top-k → top-p → sample).
 *
 * @param temperature softmax temperature, &gt; 0 (ignored when greedy)
 * @param topK keep the k most likely tokens; ≤ 0 disables top-k
 * @param topP nucleus mass in (0, 1]; 1 disables top-p
 * @param maxNewTokens response length limit, ≥ 1
 * @param seed seed of the sampler's random stream for this batch
 * @param greedy argmax decoding (ReMax baselines)
 * @param learnerTemperature temperature at which the learner scores tokens, &gt; 0
 */
public record SamplingParams(
        float temperature, int topK, float topP, int maxNewTokens, long seed, boolean greedy, float learnerTemperature) {

    public SamplingParams {
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

    /** True when the sampled distribution is truncated or tempered differently from the learner's. */
    public boolean differsFromLearner() {
        return greedy || topK > 0 || topP < 1 || temperature != learnerTemperature;
    }

    public SamplingParams withSeed(long newSeed) {
        return new SamplingParams(temperature, topK, topP, maxNewTokens, newSeed, greedy, learnerTemperature);
    }
}
