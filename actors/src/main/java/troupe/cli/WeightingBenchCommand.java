package troupe.cli;

import com.typesafe.config.Config;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import troupe.bench.WeightingBench;
import troupe.config.TroupeSettings;
import troupe.core.weighting.WeightingStrategies;

/** {@code troupe bench weighting}: weighting strategies at an equal sample budget, scored on held-out prompts. */
@Command(name = "weighting", description = {
    "Weighting strategies at an equal sample budget: per strategy and seed, one embedded run of the",
    "same steps and batch size from the same base policy; the final policy's held-out point",
    "(accuracy, -mean chars) is compared by hypervolume against the base policy's point minus a margin."})
final class WeightingBenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    BenchRunOptions run;

    @Option(names = "--steps", defaultValue = "40", description = "steps per run (default ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--seeds", split = ",", defaultValue = "1,2", description = "run seeds (default ${DEFAULT-VALUE})")
    List<Long> seeds;

    @Option(names = "--strategies", split = ",", defaultValue = "fixed-linear,hypervolume,mirror-descent,maxmin",
            description = "weighting strategies (default ${DEFAULT-VALUE})")
    List<String> strategies;

    @Option(names = "--heldout", defaultValue = "200", description = "held-out prompts per evaluation (default ${DEFAULT-VALUE})")
    int heldOut;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        for (String name : strategies) {
            if (!WeightingStrategies.names().contains(name)) {
                err.printf("error: unknown weighting strategy '%s'; supported: %s%n", name, WeightingStrategies.names());
                return Main.EXIT_USAGE;
            }
        }
        if (steps < 1 || heldOut < 1 || seeds.isEmpty()) {
            err.println("error: --steps and --heldout must be >= 1 and --seeds non-empty");
            return Main.EXIT_USAGE;
        }
        Config merged = run.merged(steps);
        TroupeSettings s = TroupeSettings.fromConfig(merged);
        Path dir = run.modelDir(s);
        long t0 = System.nanoTime();
        WeightingBench.Report r = WeightingBench.run(merged, dir, strategies, seeds, heldOut, err);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("task %s, model %s, %d steps x %d prompts x %d samples (= %d samples per run), seeds %s, "
                + "%d held-out prompts sampled at T=%.2f, torch threads %s%n", s.run().task(), dir, steps,
                s.pipeline().promptsPerStep(), s.pipeline().groupSize(),
                steps * s.pipeline().promptsPerStep() * s.pipeline().groupSize(), seeds, heldOut,
                s.sampling().temperature(), System.getProperty("ai.djl.pytorch.num_threads", "default"));
        WeightingBench.print(out, r);
        out.printf("%ntotal wall time %.0f s%n", (System.nanoTime() - t0) / 1e9);
        out.flush();
        return 0;
    }
}
