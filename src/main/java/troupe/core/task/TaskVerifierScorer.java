package troupe.core.task;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import troupe.core.config.ConfigReader;
import troupe.core.reward.Direction;
import troupe.core.reward.Objective;
import troupe.core.reward.PerSampleScorer;
import troupe.core.reward.RewardScorer;
import troupe.core.reward.RewardScorerFactory;
import troupe.core.reward.ScoreInput;

/**
 * Correctness of built-in task answers: looks up each input's task by name and applies its
 * verifier to the response and the prompt's metadata (maximised, in [0, 1]). An input from an
 * unknown task makes {@link #score} throw, which the reward stage reports as a fault.
 */
public final class TaskVerifierScorer extends PerSampleScorer {

    public static final String NAME = "task-verifier";

    private final Function<String, Task> taskNamed;
    private final Map<String, Task> tasks = new HashMap<>();

    /** Checks answers with the tasks' default settings. */
    public TaskVerifierScorer(String objective) {
        this(objective, TaskRegistry::get);
    }

    /** @param taskNamed the task of a name as the run configures it; throws for an unknown name */
    public TaskVerifierScorer(String objective, Function<String, Task> taskNamed) {
        super(new Objective(objective, Direction.MAXIMIZE, "built-in task verifier, 1 = correct"));
        this.taskNamed = taskNamed;
    }

    @Override
    protected double scoreOne(ScoreInput in) {
        return tasks.computeIfAbsent(in.task(), taskNamed).verify(in.metadata(), in.responseText());
    }

    /**
     * Registry entry {@value #NAME}; keys {@code objective} (default in
     * {@code troupe.rewards.defaults.task-verifier}) and {@code tasks}: the run's
     * {@code troupe.tasks} blocks, which {@code ScorerRegistry.withDefaultsOf} supplies; absent,
     * the tasks' defaults.
     */
    public static final class Factory implements RewardScorerFactory {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public RewardScorer create(ConfigReader block) {
            block.requireOnly(Set.of("objective", "tasks"));
            ConfigReader tasks = block.blockOrEmpty("tasks");
            return new TaskVerifierScorer(block.string("objective"), name -> TaskRegistry.create(name,
                    tasks.has(name) ? tasks.raw().getConfig(name) : com.typesafe.config.ConfigFactory.empty()));
        }
    }
}
