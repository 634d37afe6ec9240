package troupe.core.model.sampling;

/**
 * @param completion decoded completion text (special tokens skipped)
 * @param promptIds the ids fed to the model
 * @param completionIds sampled ids, EOS included when produced
 * @param samplerLogprobs log-prob of each id under the distribution sampled from
 * @param learnerLogprobs log-prob of each id at the learner temperature, untruncated
 * @param truncated max-new reached without EOS
 * @param seconds wall time of the sampling loop
 */
public record GenerateResult(String completion, int[] promptIds, int[] completionIds, float[] samplerLogprobs,
                             float[] learnerLogprobs, boolean truncated, double seconds) {
}
