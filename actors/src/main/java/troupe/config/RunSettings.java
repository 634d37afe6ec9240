package troupe.config;

import com.typesafe.config.Config;
import java.nio.file.Path;
import troupe.core.checkpoint.CheckpointModel;
import troupe.core.config.ConfigReader;
import troupe.core.task.TaskRegistry;

/**
 * The {@code troupe.run} block: what a run trains and where it writes.
 *
 * @param task built-in task the prompts come from
 * @param steps optimisation steps of the run
 * @param seed seed of every random stream of the run
 * @param outputDir parent folder of the run's metrics, checkpoints and final model
 * @param model policy folder; empty = the task's shipped base policy
 * @param generators generator replicas in this JVM
 * @param promptPool training prompts drawn once and cycled through
 * @param heldOutPrompts held-out prompts of the before/after summary; 0 = none
 * @param data JSONL prompt file to train on instead of the task; empty = the task
 * @param evalData JSONL prompt file of the held-out evaluation; empty = a fraction of {@code data}
 * @param evalFraction fraction of {@code data} held out when there is no {@code evalData}, in [0, 1)
 * @param chatTemplate {@code auto} (the model folder's), {@code none} or a template file
 */
public record RunSettings(String task, int steps, long seed, Path outputDir, String model, int generators,
        int promptPool, int heldOutPrompts, String data, String evalData, double evalFraction, String chatTemplate) {
    /** {@code chat-template} value: the model folder's template, when it has one. */
    public static final String TEMPLATE_AUTO = "auto";
    /** {@code chat-template} value: plain prompts, no template. */
    public static final String TEMPLATE_NONE = "none";

    public static RunSettings fromConfig(Config config) {
        ConfigReader r = ConfigReader.at(config, "troupe.run");
        return new RunSettings(
                r.oneOf("task", TaskRegistry.names()),
                r.intIn("steps", 1, 10_000_000),
                r.longIn("seed", 0, Long.MAX_VALUE),
                Path.of(r.string("output-dir")),
                r.string("model"),
                r.intIn("generators", 1, 64),
                r.intIn("prompt-pool", 1, 10_000_000),
                r.intIn("heldout-prompts", 0, 1_000_000),
                r.string("data"),
                r.string("eval-data"),
                r.doubleIn("eval-fraction", 0, 0.99),
                r.string("chat-template"));
    }

    /**
     * The policy folder: {@code model} if set, else {@code models/base-<task>} under {@code home}
     * (the repository root, which ./troupe exports as TROUPE_HOME); for a checkpoint folder, the
     * model folder it holds ({@link CheckpointModel#find}).
     */
    public Path modelDir(Path home) {
        return model.isEmpty() ? home.resolve("models").resolve("base-" + task) : CheckpointModel.find(Path.of(model));
    }

    /** True when the run trains on a prompt file ({@code data}) rather than a built-in task. */
    public boolean hasData() {
        return !data.isEmpty();
    }
}
