package troupe.core.rollout;

import java.util.Map;

/**
 * One response to one prompt: a row of a {@link RolloutBatch}. Per-token arrays have the length
 * of {@code responseTokens}. Immutable by convention: stages return copies with fields added and
 * never write into the arrays of a sample they received.
 *
 * @param promptId identifier of the prompt within its task (stable across epochs)
 * @param groupId samples of the same prompt in a batch share it (GRPO/RLOO groups)
 * @param promptTokens prompt token ids, no padding
 * @param responseTokens response token ids, EOS included when sampling stopped on EOS
 * @param responseMask true for tokens that count in losses (EOS included)
 * @param behaviourLogprobs log-prob of each token under the exact distribution sampled from
 * @param untruncatedLogprobs log-prob at the learner temperature without truncation
 * @param referenceLogprobs log-prob under the frozen reference; empty until the reference stage ran
 * @param rewards raw score per objective, aligned with {@link RolloutBatch#objectives()}; empty until scored
 * @param truncated true when the response hit the length limit without EOS
 * @param promptText the prompt, decoded
 * @param responseText the response, decoded without special tokens
 * @param task the task the prompt came from
 * @param metadata verifier metadata (e.g. the expected answer)
 */
public record Sample(
        String promptId,
        long groupId,
        int[] promptTokens,
        int[] responseTokens,
        boolean[] responseMask,
        float[] behaviourLogprobs,
        float[] untruncatedLogprobs,
        float[] referenceLogprobs,
        float[] rewards,
        boolean truncated,
        String promptText,
        String responseText,
        String task,
        Map<String, String> metadata) {

    public Sample {
        int n = responseTokens.length;
        requireLength("responseMask", responseMask.length, n);
        requireLength("behaviourLogprobs", behaviourLogprobs.length, n);
        requireLength("untruncatedLogprobs", untruncatedLogprobs.length, n);
        if (referenceLogprobs.length != 0) {
            requireLength("referenceLogprobs", referenceLogprobs.length, n);
        }
        metadata = Map.copyOf(metadata);
    }

    /** A freshly sampled response: no reference log-probs and no rewards yet. */
    public static Sample sampled(
            String promptId, long groupId, int[] promptTokens, int[] responseTokens, float[] behaviourLogprobs,
            float[] untruncatedLogprobs, boolean truncated, String promptText, String responseText, String task,
            Map<String, String> metadata) {
        boolean[] mask = new boolean[responseTokens.length];
        java.util.Arrays.fill(mask, true);
        return new Sample(promptId, groupId, promptTokens, responseTokens, mask, behaviourLogprobs,
                untruncatedLogprobs, new float[0], new float[0], truncated, promptText, responseText, task, metadata);
    }

    /** Number of response tokens that count in losses. */
    public int validTokens() {
        int n = 0;
        for (boolean m : responseMask) {
            n += m ? 1 : 0;
        }
        return n;
    }

    public Sample withRewards(float[] newRewards) {
        return new Sample(promptId, groupId, promptTokens, responseTokens, responseMask, behaviourLogprobs,
                untruncatedLogprobs, referenceLogprobs, newRewards, truncated, promptText, responseText, task, metadata);
    }

    public Sample withReferenceLogprobs(float[] newReference) {
        return new Sample(promptId, groupId, promptTokens, responseTokens, responseMask, behaviourLogprobs,
                untruncatedLogprobs, newReference, rewards, truncated, promptText, responseText, task, metadata);
    }

    /** The same response under another group id (groups renumbered when batches are merged). */
    public Sample withGroupId(long newGroupId) {
        return new Sample(promptId, newGroupId, promptTokens, responseTokens, responseMask, behaviourLogprobs,
                untruncatedLogprobs, referenceLogprobs, rewards, truncated, promptText, responseText, task, metadata);
    }

    public Sample withResponseMask(boolean[] newMask) {
        return new Sample(promptId, groupId, promptTokens, responseTokens, newMask, behaviourLogprobs,
                untruncatedLogprobs, referenceLogprobs, rewards, truncated, promptText, responseText, task, metadata);
    }

    private static void requireLength(String field, int found, int expected) {
        if (found != expected) {
            throw new IllegalArgumentException(
                    field + " has " + found + " entries but the response has " + expected + " tokens");
        }
    }
}
