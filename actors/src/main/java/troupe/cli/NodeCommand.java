package troupe.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import troupe.config.TroupeSettings;
import troupe.pipeline.EmbeddedRunControl;
import troupe.pipeline.Run;
import troupe.cluster.node.Node;
import troupe.cluster.node.NodeConfig;
import troupe.cluster.node.NodeSettings;

/** {@code troupe node --role …}: start one node of a cluster run. */
@Command(name = "node", description = {
    "Start one node of a Pekko Cluster run, hosting the given roles.",
    "Config: reference < cluster-config/base.conf < roles/<role>.conf < shapes/<shape>.conf < --config FILE.",
    "A learner node serves gRPC and the dashboard (troupe.node.servers), prints the progress line, and exits 0",
    "when the run ends, after writing final/ and the held-out table; other nodes run until SIGTERM, which",
    "leaves the cluster cleanly."})
final class NodeCommand implements Callable<Integer> {
    /**
     * Longest a learner node stopped by SIGTERM holds the JVM's exit for its summary: past
     * coordinated shutdown (the checkpoint phase, at most 60 s, then leaving the cluster) and
     * within the pod's termination grace period (k8s/base: 120 s).
     */
    private static final Duration SUMMARY_HOLD = Duration.ofSeconds(100);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--role", required = true, split = ",", paramLabel = "ROLE",
            description = "generator, reward, reference, learner; comma-separated for several")
    List<String> roles;

    @Option(names = "--config", paramLabel = "FILE", description = "the node's config file (highest precedence)")
    Path config;

    @Option(names = "--shape", paramLabel = "SHAPE", description = "local (seed nodes) or kubernetes (bootstrap); "
            + "default troupe.node.shape")
    String shape;

    @Option(names = "--scorer", paramLabel = "NAME|CLASS", description = "a scorer for a reward node: registry "
            + "name or class implementing troupe.core.reward.RewardScorer; repeatable")
    List<String> scorers = new ArrayList<>();

    @Option(names = "--resume", paramLabel = "DIR", description = "learner node: continue from a checkpoint folder "
            + "(step-…) or the newest checkpoint of a run folder")
    Path resume;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Config merged;
        NodeSettings node;
        Optional<Path> from;
        try {
            from = RunCommand.resumeFolder(resume, err);
            merged = NodeConfig.load(roles, Optional.ofNullable(shape), Optional.ofNullable(config));
            node = NodeSettings.fromConfig(merged).withMoreScorers(scorers);
        } catch (IllegalArgumentException | ConfigException e) {
            err.println("error: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        Node started = Node.start(roles, merged, node, from);
        out.println("node " + started.system().address() + " started: roles " + String.join(",", roles));
        if (started.run().isPresent()) {
            return learner(started, merged, node, from, out, err);
        }
        String summary = started.finished().toCompletableFuture().join();
        stop(started);
        out.println(summary);
        started.closeEngines();
        return 0;
    }

    /**
     * The learner node's run, as `troupe run` shows it: the progress line, gRPC and the dashboard
     * (unless troupe.node.servers = off), then final/, the summary and the held-out table
     * ({@link RunEnd}); after SIGTERM, the summary only.
     */
    private int learner(Node started, Config merged, NodeSettings node, Optional<Path> from, PrintWriter out,
            PrintWriter err) throws Exception {
        TroupeSettings s = TroupeSettings.fromConfig(merged);
        Run run = started.run().orElseThrow();
        RunProgress progress = RunProgress.attach(run, err);
        // Held from here: the run trains while the servers bind, and a SIGTERM may come meanwhile.
        try (ExitHold hold = ExitHold.install(SUMMARY_HOLD)) {
            RunServers servers = null;
            if (node.servers()) {
                try {
                    servers = RunServers.start(run, new EmbeddedRunControl(run, s, List.of()), s, merged, err);
                } catch (IOException e) {
                    err.println("error: " + e.getMessage() + " (troupe.node.servers = off runs without them)");
                    run.close();
                    stop(started);
                    return Main.EXIT_FAILURE;
                }
            }
            try (RunServers open = servers) {
                summarise(started, from, s, hold, progress, out);
            }
        } finally {
            started.closeEngines();
        }
        return 0;
    }

    /** Waits for the run's result; then the whole end of the run, or after a signal the summary alone. */
    private static void summarise(Node started, Optional<Path> from, TroupeSettings s, ExitHold hold,
            RunProgress progress, PrintWriter out) throws IOException {
        Run run = started.run().orElseThrow();
        String headline = started.finished().toCompletableFuture().join();
        progress.finish();
        Run.Result r = run.result().toCompletableFuture().join();
        started.system().getWhenTerminated().toCompletableFuture().join();
        if (hold.signalled()) {
            RunEnd.stopped(out, headline, r);
        } else {
            Path home = Path.of(System.getenv().getOrDefault("TROUPE_HOME", "."));
            RunEnd end = new RunEnd(s, started.trained().orElseThrow(), s.run().modelDir(home));
            end.finish(out, headline, r, end.before(from));
        }
    }

    private static void stop(Node started) {
        started.system().terminate();
        started.system().getWhenTerminated().toCompletableFuture().join();
    }
}
