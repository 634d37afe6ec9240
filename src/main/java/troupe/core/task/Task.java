package troupe.core.task;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import troupe.core.reward.ScorerSpec;

/**
 * A built-in task with a verifiable answer (issue 3 item 8). Prompt generation is deterministic
 * given the seed, and held-out prompts never occur in the training stream: every problem belongs
 * to one split by a fixed hash of its id ({@link Split}).
 */
public interface Task {

    /** Registry name. */
    String name();

    /** {@code count} training prompts drawn from the seeded stream (repeats possible). */
    List<Prompt> trainPrompts(long seed, int count);

    /** {@code count} held-out prompts drawn from the seeded stream, disjoint from every training prompt. */
    List<Prompt> heldOutPrompts(long seed, int count);

    /**
     * Scores a response in [0, 1]; 1 is exactly right. Malformed responses score 0, never throw.
     *
     * @param metadata the prompt's metadata (e.g. the answer)
     * @param response the decoded response, without special tokens
     */
    double verify(Map<String, String> metadata, String response);

    /** The objectives a run uses for this task unless configured otherwise. */
    List<ScorerSpec> defaultObjectives();

    /** Supervised examples for the base policy, from the training split: the completion is the answer. */
    default List<SftExample> sftExamples(long seed, int count) {
        List<SftExample> out = new ArrayList<>(count);
        for (Prompt p : trainPrompts(seed, count)) {
            out.add(new SftExample(p.text(), p.answer()));
        }
        return out;
    }
}
