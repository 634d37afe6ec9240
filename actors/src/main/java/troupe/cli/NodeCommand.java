package troupe.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
    "A learner node exits 0 when the run ends; other nodes run until SIGTERM, which leaves the cluster cleanly."})
final class NodeCommand implements Callable<Integer> {
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
        // A learner node on Kubernetes serves Watch, Control and the dashboard behind its Service.
        RunServers servers = null;
        if (node.servers() && started.run().isPresent()) {
            TroupeSettings s = TroupeSettings.fromConfig(merged);
            Run run = started.run().get();
            servers = RunServers.start(run, new EmbeddedRunControl(run, s, List.of()), s, merged, err);
        }
        String summary;
        try {
            summary = started.finished().toCompletableFuture().join();
        } finally {
            if (servers != null) {
                servers.close();
            }
        }
        started.system().terminate();
        started.system().getWhenTerminated().toCompletableFuture().join();
        out.println(summary);
        started.closeEngines();
        return 0;
    }
}
