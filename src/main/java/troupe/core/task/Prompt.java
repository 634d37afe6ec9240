package troupe.core.task;

import java.util.Map;
import java.util.Objects;

/**
 * One prompt of a task, with what the verifier needs to check a response.
 *
 * @param id stable identifier within its task, e.g. {@code "12+345"} (the same problem has the same id in every run)
 * @param task name of the task that made it, e.g. {@code "arithmetic"}
 * @param text what the policy sees, e.g. {@code "12+345="}
 * @param metadata verifier metadata, e.g. {@code answer → "357"}; carried into {@code Sample.metadata}
 */
public record Prompt(String id, String task, String text, Map<String, String> metadata) {

    /** Metadata key of the expected answer. */
    public static final String ANSWER = "answer";

    public Prompt {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(text, "text");
        metadata = Map.copyOf(metadata);
    }

    /** The expected answer, or the empty string when the prompt has none. */
    public String answer() {
        return metadata.getOrDefault(ANSWER, "");
    }
}
