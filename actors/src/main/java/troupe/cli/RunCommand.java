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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import troupe.config.ConfigCheck;
import troupe.config.TroupeConfig;
import troupe.config.RunSettings;
import troupe.config.TroupeSettings;
import troupe.core.checkpoint.CheckpointStore;
import troupe.core.config.SettingsException;
import troupe.core.prompts.PromptDataException;
import troupe.pipeline.DataPrompts;
import troupe.core.reward.rules.RewardOption;
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

    @Option(names = "--data", paramLabel = "FILE",
            description = "JSONL prompts to train on instead of --task, with declared rewards (troupe.run.data)")
    Path data;

    @Option(names = "--eval-data", paramLabel = "FILE",
            description = "JSONL held-out prompts for the before/after table (troupe.run.eval-data)")
    Path evalData;

    @Option(names = "--eval-fraction", paramLabel = "F",
            description = "fraction of --data held out when there is no --eval-data (troupe.run.eval-fraction)")
    Double evalFraction;

    @Option(names = "--chat-template", paramLabel = "FILE",
            description = "Jinja chat template for --data prompts (troupe.run.chat-template; default: the model's)")
    Path chatTemplate;

    @Option(names = "--no-chat-template", description = "--data prompts as plain text (troupe.run.chat-template = none)")
    boolean noChatTemplate;

    @Option(names = "--model", paramLabel = "DIR", description = "policy folder or checkpoint (troupe.run.model)")
    Path model;

    @Option(names = "--seed", description = "run seed (troupe.run.seed)")
    Long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "output parent folder (troupe.run.output-dir)")
    Path out;

    @Option(names = "--weighting", description = "weighting strategy (troupe.learner.weighting.strategy)")
    String weighting;

    @Option(names = "--algorithm", paramLabel = "NAME", description = "learner algorithm (troupe.learner.algorithm): "
            + "policy-gradient (grpo), online-dpo (dpo), raft, pro, gspo, cispo, …")
    String algorithm;

    @Option(names = "--run-id", description = "name of the run folder (default: run-<timestamp>)")
    String runId;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "continue from a checkpoint folder (step-…) or the newest checkpoint of a run folder")
    Path resume;

    @Option(names = "--reward", paramLabel = "NAME[:key=value,...]", converter = RewardDeclarations.Converter.class,
            description = RewardDeclarations.HELP)
    List<RewardOption> rewards = new ArrayList<>();

    @Option(names = "--no-servers",
            description = "start neither the gRPC server (troupe.grpc) nor the dashboard (troupe.http)")
    boolean noServers;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Config user;
        if (chatTemplate != null && noChatTemplate) {
            err.println("error: --chat-template and --no-chat-template are exclusive");
            return Main.EXIT_USAGE;
        }
        try {
            user = overrides().withFallback(config == null ? ConfigFactory.empty() : TroupeConfig.parseUserFile(config));
            user = RewardDeclarations.apply(user, rewards);
        } catch (IllegalArgumentException | ConfigException | SettingsException e) {
            err.println("error: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        List<ConfigCheck.Problem> problems = ConfigCheck.check(user, TroupeConfig.reference(), TroupeSettings::fromConfig);
        if (!problems.isEmpty()) {
            problems.forEach(p -> err.println("error: " + p.message()));
            return Main.EXIT_USAGE;
        }
        if (user.hasPath("troupe.run.task") && user.hasPath("troupe.run.data")
                && !user.getString("troupe.run.data").isEmpty()) {
            err.println("error: troupe.run.data (--data) and troupe.run.task (--task) are exclusive:"
                    + " a run trains on a prompt file or on a built-in task");
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
        try {
            LocalEngines.requireReward(merged, s); // before the model loads: a user error costs nothing
        } catch (SettingsException e) {
            err.println("error: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        try (LocalEngines engines = LocalEngines.load(merged, s, s.run().modelDir(home))) {
            return train(merged, s, id, engines, from);
        } catch (SettingsException | PromptDataException e) {
            err.println("error: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
    }

    private int train(Config merged, TroupeSettings s, String id, LocalEngines engines, Optional<Path> from)
            throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        Path model = s.run().modelDir(Path.of(System.getenv().getOrDefault("TROUPE_HOME", ".")));
        Optional<DataPrompts> prompts = engines.data();
        String source = prompts.map(d -> "data " + d.train().file() + " (" + d.pool().length + " prompts, "
                + d.eval().size() + " held out)").orElse("task " + s.run().task());
        err.printf("troupe run %s: %s, %d steps, %s weighting, model %s%s%n", id, source, s.run().steps(),
                s.learner().weighting().strategy(), model, from.map(p -> ", resuming from " + p).orElse(""));
        prompts.ifPresent(d -> err.printf("first prompt, with %s:%n%s%n", d.format(), d.firstPrompt()));
        RunEnd end = new RunEnd(s, engines, model);
        HeldOutSummary.Table before = end.before(from);
        try (Run run = Run.start(merged, s, id, engines.components(), from)) {
            RunProgress progress = RunProgress.attach(run, err);
            RunServers servers;
            try {
                servers = noServers ? null : RunServers.start(run,
                        new EmbeddedRunControl(run, s, engines.components().scorers()), s, merged, err);
            } catch (IOException e) {
                err.println("error: " + e.getMessage() + " (--no-servers runs without them)");
                return 1;
            }
            try (servers) {
                Run.Result r = run.result().toCompletableFuture().join();
                progress.finish();
                end.finish(stdout, RunEnd.headline(r, s.run().steps()), r, before);
                return 0;
            }
        }
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
        if (data != null) {
            o.put("troupe.run.data", data.toString());
        }
        if (evalData != null) {
            o.put("troupe.run.eval-data", evalData.toString());
        }
        if (evalFraction != null) {
            o.put("troupe.run.eval-fraction", evalFraction);
        }
        if (chatTemplate != null || noChatTemplate) {
            o.put("troupe.run.chat-template", noChatTemplate ? RunSettings.TEMPLATE_NONE : chatTemplate.toString());
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
        if (algorithm != null) {
            o.put("troupe.learner.algorithm", algorithm);
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
