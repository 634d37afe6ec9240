package troupe.cli;

import com.typesafe.config.Config;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import troupe.bench.PipelineBench;
import troupe.config.TroupeSettings;

/** {@code troupe bench …}: benchmarks whose figures go into BENCHMARKS.md. */
@Command(name = "bench", description = "Run a benchmark and print a markdown table.",
        subcommands = {BenchCommand.Pipeline.class, BenchCommand.Transfer.class, WeightingBenchCommand.class,
            ModelBenchCommand.class})
final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "pipeline", description = {
        "Step time of the actor pipeline (lag 0) against its stages called back to back, and",
        "async (lag 1) against sync throughput, side by side in one JVM on the same model."})
    static final class Pipeline implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        BenchRunOptions run;

        @Option(names = "--steps", defaultValue = "12", description = "steps per variant (default ${DEFAULT-VALUE})")
        int steps;

        @Option(names = "--warmup", defaultValue = "2", description = "steps excluded, >= 1 (default ${DEFAULT-VALUE})")
        int warmup;

        @Option(names = "--rounds", defaultValue = "1",
                description = "times the three variants run in turn (default ${DEFAULT-VALUE})")
        int rounds;

        @Override
        public Integer call() throws Exception {
            Config merged = run.merged(steps);
            TroupeSettings s = TroupeSettings.fromConfig(merged);
            Path dir = run.modelDir(s);
            List<List<PipelineBench.Figures>> all = PipelineBench.run(merged, dir, steps, warmup, rounds);
            PrintWriter out = spec.commandLine().getOut();
            out.printf("model %s, %d prompts x %d samples per step, %d steps (%d warm-up excluded), torch threads %s, "
                            + "%d round(s)%n%n", dir, s.pipeline().promptsPerStep(), s.pipeline().groupSize(), steps,
                    warmup, System.getProperty("ai.djl.pytorch.num_threads", "default"), rounds);
            out.println("| round | variant | s/step | samples/s | vs isolated | CPU s/step | generate | reward "
                    + "| reference | learn | weights to generator (ms/step) |");
            out.println("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            double overhead = 0;
            double speedup = 0;
            for (int r = 0; r < all.size(); r++) {
                List<PipelineBench.Figures> f = all.get(r);
                double base = f.get(0).stepSeconds();
                for (PipelineBench.Figures x : f) {
                    StringBuilder stages = new StringBuilder();
                    x.stageMillis().values().forEach(ms -> stages.append(String.format(" %.0f |", ms)));
                    out.printf("| %d | %s | %.3f | %.1f | %.3f | %.2f |%s%n", r + 1, x.variant(), x.stepSeconds(),
                            x.samplesPerSecond(), x.stepSeconds() / base, x.cpuSecondsPerStep(), stages);
                }
                overhead += f.get(1).stepSeconds() / base - 1;
                speedup += f.get(2).samplesPerSecond() / f.get(1).samplesPerSecond();
            }
            out.printf("%nstage columns: mean busy ms per step of each stage (overlapping stages add up to more than "
                    + "the step)%nsync overhead over isolated stages: %+.1f%%; async/sync throughput: %.2fx "
                    + "(mean of %d round(s))%n", 100 * overhead / all.size(), speedup / all.size(), all.size());
            return 0;
        }
    }

    @Command(name = "transfer", description = {
        "Cluster data plane between JVMs on this machine: rollout-batch throughput next to a raw",
        "loopback socket, and weight-broadcast time by model size and number of generator JVMs."})
    static final class Transfer implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--parameters", split = ",", defaultValue = "1000000,10000000,100000000",
                description = "model sizes in parameters (default ${DEFAULT-VALUE})")
        List<Long> parameters;

        @Option(names = "--generators", split = ",", defaultValue = "1,2,4",
                description = "generator JVM counts (default ${DEFAULT-VALUE})")
        List<Integer> generators;

        @Option(names = "--batches", defaultValue = "100",
                description = "rollout batches per timing (default ${DEFAULT-VALUE})")
        int batches;

        @Option(names = "--rounds", defaultValue = "3",
                description = "rollout timings, each next to a raw-socket one; medians reported (default ${DEFAULT-VALUE})")
        int rounds;

        @Option(names = "--child-heap", defaultValue = "1500m", description = "-Xmx of each generator JVM")
        String childHeap;

        @Option(names = "--serve", hidden = true, description = "run as a generator child of the benchmark")
        boolean serve;

        @Option(names = "--seed-port", hidden = true)
        int seedPort;

        @Option(names = "--raw-port", hidden = true)
        int rawPort;

        @Override
        public Integer call() throws Exception {
            if (serve) {
                troupe.bench.TransferBench.serve(seedPort, rawPort);
                return 0;
            }
            troupe.bench.TransferBench.run(spec.commandLine().getOut(), parameters, generators, batches, rounds,
                    childHeap);
            return 0;
        }
    }
}
