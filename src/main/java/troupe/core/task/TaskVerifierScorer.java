package troupe.core.task;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import troupe.core.config.ConfigReader;
import troupe.core.reward.Direction;
import troupe.core.reward.Objective;
import troupe.core.reward.RewardScorer;
import troupe.core.reward.RewardScorerFactory;
import troupe.core.reward.ScoreInput;

/**
 * Correctness of built-in task answers: looks up each input's task by name and applies its
 * verifier to the response and the prompt's metadata (maximised, in [0, 1]). An input from an
 * unknown task makes {@link #score} throw, which the reward stage reports as a fault.
 */
public final class TaskVerifierScorer implements RewardScorer {

    public static final String NAME = "task-verifier";

    private final Objective objective;
    private final Map<String, Task> tasks = new HashMap<>();

    /** @param objective objective name */
    public TaskVerifierScorer(String objective) {
        this.objective = new Objective(objective, Direction.MAXIMIZE, "built-in task verifier, 1 = correct");
    }

    /** Uses these task instances (e.g. with non-default settings) instead of the registry defaults. */
    public TaskVerifierScorer(String objective, List<Task> configured) {
        this(objective);
        configured.forEach(t -> tasks.put(t.name(), t));
    }

    @Override
    public Objective objective() {
        return objective;
    }

    @Override
    public float[] score(List<ScoreInput> batch) {
        float[] out = new float[batch.size()];
        for (int i = 0; i < out.length; i++) {
            ScoreInput in = batch.get(i);
            Task task = tasks.computeIfAbsent(in.task(), TaskRegistry::get);
            out[i] = (float) task.verify(in.metadata(), in.responseText());
        }
        return out;
    }

    /** Registry entry {@code "task-verifier"}; key {@code objective} (default in {@code troupe.rewards.defaults.task-verifier}). */
    public static final class Factory implements RewardScorerFactory {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public RewardScorer create(ConfigReader block) {
            block.requireOnly(Set.of("objective"));
            return new TaskVerifierScorer(block.string("objective"));
        }
    }
}
