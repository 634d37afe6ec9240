package troupe.core.reward;

import java.util.Map;

/**
 * What a reward scorer sees of one sample.
 *
 * @param promptText the prompt, decoded
 * @param responseText the response, decoded without special tokens
 * @param promptTokens prompt token ids
 * @param responseTokens response token ids (EOS included when the response ended on it)
 * @param task name of the task the prompt came from; empty when unknown
 * @param metadata verifier metadata, e.g. {@code answer → 42}; for a prompt file, every other field of
 *     the line (strings verbatim, other JSON values as their JSON text; see {@code troupe.core.prompts.PromptLine})
 * @param truncated true when the response hit the generation limit without EOS
 */
public record ScoreInput(
        String promptText,
        String responseText,
        int[] promptTokens,
        int[] responseTokens,
        String task,
        Map<String, String> metadata,
        boolean truncated) {

    public ScoreInput {
        metadata = Map.copyOf(metadata);
        task = task == null ? "" : task;
    }
}
