package troupe.core.task;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** Built-in tasks by name; an unknown name fails listing the supported ones. */
public final class TaskRegistry {

    private static final Map<String, Function<Config, Task>> BUILT_IN = new TreeMap<>(Map.of(
            ArithmeticTask.NAME, c -> new ArithmeticTask(ArithmeticTask.Settings.fromConfig(c)),
            ReverseTask.NAME, c -> new ReverseTask(ReverseTask.Settings.fromConfig(c))));

    private TaskRegistry() {}

    /** Supported names, sorted. */
    public static List<String> names() {
        return List.copyOf(BUILT_IN.keySet());
    }

    /** The task with its default settings. */
    public static Task get(String name) {
        return create(name, ConfigFactory.empty());
    }

    /** The task configured from its settings block (e.g. {@code troupe.task.arithmetic}). */
    public static Task create(String name, Config config) {
        Function<Config, Task> f = BUILT_IN.get(name);
        if (f == null) {
            throw new IllegalArgumentException("unknown task '" + name + "'; supported: " + names());
        }
        return f.apply(config);
    }
}
