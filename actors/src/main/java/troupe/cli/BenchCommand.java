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
            BenchCommand.Step.class, ModelBenchCommand.class, SoakCommand.class,
            SubscribersBenchCommand.class})
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
            out.println("| round | variant | s/step | samples/s | vs isolated | CPU vs isolated | step ÷ Σ own stages "
                    + "| CPU s/step | generate | reward | reference | learn | weights to generator (ms/step) |");
            out.println("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            double overhead = 0;
            double cpuOverhead = 0;
            double overStages = 0;
            double speedup = 0;
            for (int r = 0; r < all.size(); r++) {
                List<PipelineBench.Figures> f = all.get(r);
                double base = f.get(0).stepSeconds();
                for (PipelineBench.Figures x : f) {
                    StringBuilder stages = new StringBuilder();
                    x.stageMillis().values().forEach(ms -> stages.append(String.format(" %.0f |", ms)));
                    out.printf("| %d | %s | %.3f | %.1f | %.3f | %.3f | %.3f | %.2f |%s%n", r + 1, x.variant(),
                            x.stepSeconds(), x.samplesPerSecond(), x.stepSeconds() / base,
                            x.cpuSecondsPerStep() / f.get(0).cpuSecondsPerStep(), x.overStages(),
                            x.cpuSecondsPerStep(), stages);
                }
                overhead += f.get(1).stepSeconds() / base - 1;
                cpuOverhead += f.get(1).cpuSecondsPerStep() / f.get(0).cpuSecondsPerStep() - 1;
                overStages += f.get(1).overStages() - 1;
                speedup += f.get(2).samplesPerSecond() / f.get(1).samplesPerSecond();
            }
            int n = all.size();
            out.printf("%nstage columns: mean busy ms per step of each stage (overlapping stages add up to more than "
                    + "the step)%nsync step over the sum of its own stages: %+.1f%% (same steps, load-independent); "
                    + "over the isolated variant: %+.1f%% wall, %+.1f%% CPU (another time: moves with the machine's "
                    + "load); async/sync throughput: %.2fx (mean of %d round(s))%n", 100 * overStages / n,
                    100 * overhead / n, 100 * cpuOverhead / n, speedup / n, n);
            return 0;
        }
    }

    /**
     * {@code troupe bench step}: one GRPO step by the real roles, flag for flag with
     * {@code ../shared/bench/torch_grpo_step.py} (names and defaults are the script's argparse).
     */
    @Command(name = "step", description = {
        "One whole GRPO step (generate, reward, reference, advantages, learn) by the roles of troupe run,",
        "in one JVM on random weights; flags and JSON as torch_grpo_step.py, for a side-by-side ratio."})
    static final class Step implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--layout", defaultValue = "llama", description = "llama, qwen2 or gpt2 (default ${DEFAULT-VALUE})")
        String layout;
        @Option(names = "--layers", defaultValue = "4")
        int layers;
        @Option(names = "--d-model", defaultValue = "128")
        int dModel;
        @Option(names = "--heads", defaultValue = "4")
        int heads;
        @Option(names = "--kv-heads", defaultValue = "0", description = "llama/qwen2 only; 0 = --heads")
        int kvHeads;
        @Option(names = "--ffn", defaultValue = "0", description = "0 = llama 8/3*d rounded up to 64, gpt2 4*d")
        int ffn;
        @Option(names = "--vocab", defaultValue = "256")
        int vocab;
        @Option(names = "--ctx", defaultValue = "128")
        int ctx;
        @Option(names = "--tie", description = "tie lm_head to the embedding (gpt2 always ties)")
        boolean tie;
        @Option(names = "--kv-impl", defaultValue = "static", description = "generation KV cache (only static)")
        String kvImpl;
        @Option(names = "--threads", defaultValue = "1", description = "PyTorch intra-op threads (over TROUPE_THREADS)")
        int threads;
        @Option(names = "--seed", defaultValue = "0")
        long seed;
        @Option(names = "--prompts", defaultValue = "8", description = "P: prompts per step")
        int prompts;
        @Option(names = "--group", defaultValue = "8", description = "G: responses per prompt (>= 2)")
        int group;
        @Option(names = "--prompt-len", defaultValue = "16")
        int promptLen;
        @Option(names = "--response-len", defaultValue = "32", description = "T: tokens sampled per response")
        int responseLen;
        @Option(names = "--micro-batch", defaultValue = "16", description = "sequences per forward/backward")
        int microBatch;
        @Option(names = "--epochs", defaultValue = "1", description = "passes (optimizer steps) over each batch")
        int epochs;
        @Option(names = "--steps", defaultValue = "3", description = "timed GRPO steps")
        int steps;
        @Option(names = "--warmup", defaultValue = "1", description = "untimed GRPO steps before them")
        int warmup;
        @Option(names = "--temperature", defaultValue = "1.0")
        double temperature;
        @Option(names = "--beta", defaultValue = "0.04", description = "k3 KL coefficient")
        double beta;
        @Option(names = "--clip", defaultValue = "0.2", description = "PPO clip epsilon")
        double clip;
        @Option(names = "--lr", defaultValue = "3e-4")
        double lr;
        @Option(names = "--max-policy-lag", defaultValue = "0",
                description = "1 = generation of the next batch overlaps learning (default ${DEFAULT-VALUE})")
        int maxPolicyLag;
        @Option(names = "--json", description = "print only the JSON line")
        boolean json;

        @Override
        public Integer call() throws Exception {
            troupe.bench.StepFlags f;
            try {
                f = new troupe.bench.StepFlags(layout, layers, dModel, heads, kvHeads, ffn, vocab, ctx, tie, kvImpl,
                        threads, seed, prompts, group, promptLen, responseLen, microBatch, epochs, steps, warmup,
                        temperature, beta, clip, lr, maxPolicyLag);
                f.model();
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            com.google.gson.JsonObject res = troupe.bench.StepBench.run(f);
            spec.commandLine().getOut().println(res);
            if (!json) { // the script's one-line summary, on stderr as there
                com.google.gson.JsonObject st = res.getAsJsonObject("step");
                spec.commandLine().getErr().printf("troupe_grpo_step %s L%d d%d V%d P%dxG%d Lp%d T%d mb%d ep%d threads=%d lag=%d: step %.1f ms "
                                + "(gen %.1f, reward %.2f, ref %.1f, adv %.2f, learn %.1f, opt %.1f) = %.2f samples/s, "
                                + "%.1f tokens/s; kl0 %.2g; peak RSS %.0f MB%n", layout, layers, dModel, vocab, prompts,
                        group, promptLen, responseLen, microBatch, epochs, res.get("threads").getAsInt(), maxPolicyLag,
                        st.get("step_ms").getAsDouble(), st.get("gen_ms").getAsDouble(),
                        st.get("reward_ms").getAsDouble(), st.get("ref_ms").getAsDouble(),
                        st.get("adv_ms").getAsDouble(), st.get("learn_ms").getAsDouble(),
                        st.get("opt_ms").getAsDouble(), st.get("samples_per_s").getAsDouble(),
                        st.get("tokens_per_s").getAsDouble(), res.get("kl_step0").getAsDouble(),
                        res.get("peak_rss_mb").getAsDouble());
            }
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
