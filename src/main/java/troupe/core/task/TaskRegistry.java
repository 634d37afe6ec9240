package troupe.core.task;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import troupe.core.config.ConfigReader;
import troupe.core.config.Registry;

/**
 * Built-in tasks by name, each with its settings block {@code troupe.tasks.NAME} (defaults in
 * reference.conf); an unknown name fails listing the supported ones.
 */
public final class TaskRegistry {

    /** Where the tasks' blocks live. */
    public static final String TASKS = "troupe.tasks";

    private static final Registry<Task> REGISTRY = new Registry<Task>("task")
            .register(ArithmeticTask.NAME, ArithmeticTask.Settings::fromConfig, ArithmeticTask::new)
            .register(ReverseTask.NAME, ReverseTask.Settings::fromConfig, ReverseTask::new);

    /** reference.conf's task blocks, read once. */
    private static final class Reference {
        static final Config TASK_DEFAULTS = ConfigFactory.defaultReference(TaskRegistry.class.getClassLoader())
                .getConfig(TASKS);
    }

    private TaskRegistry() {}

    /** Supported names, sorted. */
    public static List<String> names() {
        return REGISTRY.names();
    }

    /** The family, e.g. for {@code Registry.pick}. */
    public static Registry<Task> registry() {
        return REGISTRY;
    }

    /** The task with its default settings. */
    public static Task get(String name) {
        return create(name, ConfigFactory.empty());
    }

    /** The task as a run configures it: its block {@code troupe.tasks.NAME} of {@code root}. */
    public static Task fromRun(Config root, String name) {
        String path = TASKS + "." + name;
        return create(name, root.hasPath(path) ? root.getConfig(path) : ConfigFactory.empty());
    }

    /**
     * The task with {@code overrides} over its default block.
     *
     * @throws IllegalArgumentException for an unknown name, listing the supported ones
     */
    public static Task create(String name, Config overrides) {
        Config base = Reference.TASK_DEFAULTS.hasPath(name) ? Reference.TASK_DEFAULTS.getConfig(name) : ConfigFactory.empty();
        return REGISTRY.create(name, ConfigReader.of(overrides.withFallback(base), TASKS + "." + name));
    }
}
