package troupe.core.engine;

import java.util.Map;
import java.util.Objects;

/**
 * One prompt as the generator needs it: already tokenized, with what a verifier will need
 * later. Carried unchanged into every {@link troupe.core.rollout.Sample} sampled from it.
 *
 * @param id identifier within its task, stable across epochs (becomes {@code Sample.promptId})
 * @param text the prompt, decoded
 * @param tokens prompt token ids in the policy's vocabulary, no padding, length ≥ 1
 * @param task name of the task the prompt came from
 * @param metadata verifier metadata, e.g. {@code answer → 42}
 */
public record Prompt(String id, String text, int[] tokens, String task, Map<String, String> metadata) {

    public Prompt {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(text, "text");
        if (tokens.length == 0) {
            throw new IllegalArgumentException("prompt '" + id + "' has no tokens");
        }
        task = task == null ? "" : task;
        metadata = Map.copyOf(metadata);
    }
}
