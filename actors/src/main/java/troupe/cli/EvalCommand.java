package troupe.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import troupe.core.model.sampling.SamplingSettings;
import troupe.core.task.HeldOutEval;
import troupe.core.task.Task;
import troupe.core.task.TaskRegistry;

/**
 * {@code troupe eval}: held-out accuracy of a model folder (or a checkpoint's) on a built-in task
 * ({@link HeldOutEval}), decoded greedily and sampled at temperature T, one line each.
 */
@Command(name = "eval", description = {
    "Held-out accuracy of a model on a built-in task: greedy and sampled (T, default 1) decoding",
    "of N held-out prompts, verified by the task."})
final class EvalCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ModelFolder model;

    @Option(names = "--task", required = true, paramLabel = "NAME", description = "Built-in task, e.g. reverse.")
    String task;

    @Option(names = "--n", paramLabel = "N", defaultValue = "200", description = "Held-out prompts (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "1.0",
            description = "Temperature of the sampled run (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Sampling seed (default: 0).")
    long seed;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        Path folder = model.resolve(err);
        if (folder == null) {
            return Main.EXIT_USAGE;
        }
        Map<String, HeldOutEval.Result> results;
        try {
            Task t = TaskRegistry.get(task);
            results = evaluate(folder, t, HeldOutEval.Settings.defaults().withCount(n), temperature, seed);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("task " + task + ", " + n + " held-out prompts, model " + folder);
        results.forEach((label, r) -> out.println(line(label, r)));
        return 0;
    }

    /** Greedy, then sampled at {@code temperature} with {@code seed}; keyed by a printable label. */
    static Map<String, HeldOutEval.Result> evaluate(Path model, Task task, HeldOutEval.Settings base,
                                                     double temperature, long seed) throws IOException {
        Map<String, HeldOutEval.Result> out = new LinkedHashMap<>();
        out.put("greedy", HeldOutEval.run(model, task, base));
        SamplingSettings sampled = new SamplingSettings(temperature, 0, 1.0, base.sampling().maxNewTokens(), seed,
                false, 1.0);
        out.put("sampled T=" + temperature, HeldOutEval.run(model, task, base.withSampling(sampled)));
        return out;
    }

    static String line(String label, HeldOutEval.Result r) {
        return String.format("%-14s accuracy %5.1f%%  mean score %.3f  mean length %.2f chars (%.2f tokens)  %.1fs",
                label, 100 * r.accuracy(), r.meanScore(), r.meanChars(), r.meanTokens(), r.seconds());
    }
}
