package troupe.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import troupe.bench.PipelineBench;
import troupe.config.TroupeConfig;
import troupe.config.TroupeSettings;

/** {@code troupe bench …}: benchmarks whose figures go into BENCHMARKS.md. */
@Command(name = "bench", description = "Run a benchmark and print a markdown table.",
        subcommands = {BenchCommand.Pipeline.class, BenchCommand.Transfer.class, WeightingBenchCommand.class})
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

        @Option(names = "--config", paramLabel = "FILE", description = "HOCON over the defaults")
        Path config;

        @Option(names = "--model", paramLabel = "DIR", description = "policy folder (default: the task's base policy)")
        Path model;

        @Option(names = "--steps", defaultValue = "12", description = "steps per variant (default ${DEFAULT-VALUE})")
        int steps;

        @Option(names = "--warmup", defaultValue = "2", description = "steps excluded (default ${DEFAULT-VALUE})")
        int warmup;

        @Override
        public Integer call() throws Exception {
            Config user = config == null ? ConfigFactory.empty() : TroupeConfig.parseUserFile(config);
            Config merged = ConfigFactory.parseString("troupe.run.steps = " + steps).withFallback(user)
                    .withFallback(TroupeConfig.reference()).resolve();
            TroupeSettings s = TroupeSettings.fromConfig(merged);
            Path dir = model != null ? model
                    : s.run().modelDir(Path.of(System.getenv().getOrDefault("TROUPE_HOME", ".")));
            List<PipelineBench.Figures> f = PipelineBench.run(merged, dir, steps, warmup);
            PrintWriter out = spec.commandLine().getOut();
            out.printf("model %s, %d prompts x %d samples per step, %d steps (%d warm-up excluded), torch threads %s%n%n",
                    dir, s.pipeline().promptsPerStep(), s.pipeline().groupSize(), steps, warmup,
                    System.getProperty("ai.djl.pytorch.num_threads", "default"));
            out.println("| variant | s/step | samples/s | vs isolated |");
            out.println("|---|---:|---:|---:|");
            double base = f.get(0).stepSeconds();
            for (PipelineBench.Figures x : f) {
                out.printf("| %s | %.3f | %.1f | %.3f |%n", x.variant(), x.stepSeconds(), x.samplesPerSecond(),
                        x.stepSeconds() / base);
            }
            out.printf("%nsync overhead over isolated stages: %+.1f%%; async/sync throughput: %.2fx%n",
                    100 * (f.get(1).stepSeconds() / base - 1), f.get(2).samplesPerSecond() / f.get(1).samplesPerSecond());
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
