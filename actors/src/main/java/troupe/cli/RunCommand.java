package troupe.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import troupe.bench.PeakRss;
import troupe.config.ConfigCheck;
import troupe.config.TroupeConfig;
import troupe.config.TroupeSettings;
import troupe.core.checkpoint.CheckpointStore;
import troupe.core.config.SettingsException;
import troupe.pipeline.EmbeddedRunControl;
import troupe.pipeline.LocalEngines;
import troupe.pipeline.Run;

/** {@code troupe run}: the embedded default — every role in this JVM, a one-node cluster. */
@Command(name = "run", description = {
    "Train a policy with online RL, every role in this JVM (a one-node cluster).",
    "With no options: the shipped base policy on the built-in `reverse` task (correctness vs",
    "brevity), GRPO with hypervolume-guided weighting."})
final class RunCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "HOCON file over the defaults")
    Path config;

    @Option(names = "--steps", description = "optimisation steps (troupe.run.steps)")
    Integer steps;

    @Option(names = "--task", description = "built-in task (troupe.run.task)")
    String task;

    @Option(names = "--model", paramLabel = "DIR", description = "policy folder (troupe.run.model)")
    Path model;

    @Option(names = "--seed", description = "run seed (troupe.run.seed)")
    Long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "output parent folder (troupe.run.output-dir)")
    Path out;

    @Option(names = "--weighting", description = "weighting strategy (troupe.learner.weighting.strategy)")
    String weighting;

    @Option(names = "--run-id", description = "name of the run folder (default: run-<timestamp>)")
    String runId;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "continue from a checkpoint folder (step-…) or the newest checkpoint of a run folder")
    Path resume;

    @Option(names = "--no-servers",
            description = "start neither the gRPC server (troupe.grpc) nor the dashboard (troupe.http)")
    boolean noServers;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Config user;
        try {
            user = overrides().withFallback(config == null ? ConfigFactory.empty() : TroupeConfig.parseUserFile(config));
        } catch (IllegalArgumentException | ConfigException e) {
            err.println("error: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        List<ConfigCheck.Problem> problems = ConfigCheck.check(user, TroupeConfig.reference(), TroupeSettings::fromConfig);
        if (!problems.isEmpty()) {
            problems.forEach(p -> err.println("error: " + p.message()));
            return Main.EXIT_USAGE;
        }
        Config merged = ConfigFactory.defaultOverrides().withFallback(user).withFallback(TroupeConfig.reference())
                .resolve();
        TroupeSettings s = TroupeSettings.fromConfig(merged);
        Optional<Path> from;
        try {
            from = resumeFolder(resume, err);
        } catch (IllegalArgumentException e) {
            err.println("error: --resume: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        String id = runId != null ? runId
                : "run-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path home = Path.of(System.getenv().getOrDefault("TROUPE_HOME", "."));
        try (LocalEngines engines = LocalEngines.load(merged, s, s.run().modelDir(home))) {
            return train(merged, s, id, engines, from);
        } catch (SettingsException e) {
            err.println("error: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
    }

    private int train(Config merged, TroupeSettings s, String id, LocalEngines engines, Optional<Path> from)
            throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        err.printf("troupe run %s: task %s, %d steps, %s weighting, model %s%s%n", id, s.run().task(), s.run().steps(),
                s.learner().weighting().strategy(), s.run().modelDir(Path.of(System.getenv().getOrDefault("TROUPE_HOME", "."))),
                from.map(p -> ", resuming from " + p).orElse(""));
        int heldOut = s.run().heldOutPrompts();
        Path model = s.run().modelDir(Path.of(System.getenv().getOrDefault("TROUPE_HOME", ".")));
        HeldOutSummary.Scores before = heldOut > 0 && from.isEmpty()
                ? HeldOutSummary.evaluate(model, engines.task(), heldOut, s.sampling().temperature(),
                        s.sampling().maxNewTokens(), s.run().seed())
                : null;
        boolean terminal = ProgressLine.stderrIsTerminal();
        RunProgress progress = new RunProgress(new ProgressLine(err, terminal), terminal, 5);
        try (Run run = Run.start(merged, s, id, engines.components(), from)) {
            // Subscribed before the servers bind, so a short run's first steps reach the progress line.
            run.events().runForeach(progress::onEvent, run.system());
            RunServers servers;
            try {
                servers = noServers ? null : RunServers.start(run,
                        new EmbeddedRunControl(run, s, engines.components().scorers()), s, merged, err);
            } catch (IOException e) {
                err.println("error: " + e.getMessage() + " (--no-servers runs without them)");
                return 1;
            }
            try (servers) {
                return await(run, s, id, engines, progress, stdout, before);
            }
        }
    }

    /** Waits for the run (all its steps or a Control.Stop), saves the final model, prints the summary. */
    private int await(Run run, TroupeSettings s, String id, LocalEngines engines, RunProgress progress,
            PrintWriter stdout, HeldOutSummary.Scores before) throws IOException {
        Run.Result r = run.result().toCompletableFuture().join();
        progress.finish();
        Path finalModel = s.run().outputDir().resolve(id).resolve("final");
        engines.saveModel(finalModel);
        stdout.printf("run %s: %d steps%s, policy v%d, %d stale batches dropped, %d lost%n", r.runId(), r.steps(),
                r.steps() < s.run().steps() ? " (stopped early)" : "", r.policyVersion(), r.staleBatchesDropped(),
                r.lostBatches());
        stdout.printf("metrics    %s%n", r.metricsFile());
        r.lastCheckpoint().ifPresent(c -> stdout.printf("checkpoint %s%n", c));
        stdout.printf("model      %s%n", finalModel);
        if (before != null) {
            int n = s.run().heldOutPrompts();
            HeldOutSummary.print(stdout, n, before, HeldOutSummary.evaluate(finalModel, engines.task(), n,
                    s.sampling().temperature(), s.sampling().maxNewTokens(), s.run().seed()));
        }
        // The whole process's high-water mark (what /usr/bin/time reports), after the held-out decode.
        PeakRss.megabytes().ifPresent(mb -> stdout.printf("%npeak RSS %d MB%n", mb));
        stdout.flush();
        return 0;
    }

    private Config overrides() {
        Map<String, Object> o = new HashMap<>();
        if (steps != null) {
            o.put("troupe.run.steps", steps);
        }
        if (task != null) {
            o.put("troupe.run.task", task);
        }
        if (model != null) {
            o.put("troupe.run.model", model.toString());
        }
        if (seed != null) {
            o.put("troupe.run.seed", seed);
        }
        if (out != null) {
            o.put("troupe.run.output-dir", out.toString());
        }
        if (weighting != null) {
            o.put("troupe.learner.weighting.strategy", weighting);
        }
        return ConfigFactory.parseMap(o);
    }

    /**
     * A checkpoint folder (checked against its manifest), or the newest complete checkpoint of a
     * run folder, naming each newer incomplete one on {@code err}; empty when {@code resume} is null.
     */
    static Optional<Path> resumeFolder(Path resume, PrintWriter err) {
        if (resume == null) {
            return Optional.empty();
        }
        if (!Files.isDirectory(resume)) {
            throw new IllegalArgumentException("no such folder: " + resume);
        }
        return Optional.of(CheckpointStore.resolveResume(resume, line -> err.println("warning: " + line)));
    }
}
