package troupe.core.model.sampling;

/**
 * One sampled response, as plain arrays (actors never hold NDArrays).
 *
 * @param tokens response ids, EOS included when it was produced
 * @param samplerLogprobs log q(token), q = the tempered, top-k/top-p-truncated distribution actually
 *     sampled from (0 for greedy: a point mass) — the behaviour log-prob for the learner's {@code old}
 * @param learnerLogprobs log softmax(z/T_learner)[token] without truncation
 * @param truncated true when max tokens was reached without EOS
 */
public record Completion(int[] tokens, float[] samplerLogprobs, float[] learnerLogprobs, boolean truncated) {

    public int length() {
        return tokens.length;
    }
}
