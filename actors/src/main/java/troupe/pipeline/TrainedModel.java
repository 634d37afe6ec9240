package troupe.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import troupe.core.reward.RewardScorer;
import troupe.core.task.Task;

/**
 * What the end of a run reads from the JVM that trained it — `troupe run` ({@link LocalEngines})
 * or a learner `troupe node`: the policy to export as {@code final/}, and what the held-out table
 * is decoded and scored with.
 */
public interface TrainedModel {

    /** Writes the learner's current policy as a Hugging Face folder. */
    void saveModel(Path dir) throws IOException;

    /** The run's task: its verifier scores the held-out table of a task run. */
    Task task();

    /** The run's prompt file, with its held-out prompts; empty for a task run. */
    Optional<DataPrompts> data();

    /** The run's declared scorers: they score the held-out table of a prompt-file run. */
    List<RewardScorer> runScorers();
}
