package troupe.cluster.node;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;
import org.apache.pekko.management.javadsl.PekkoManagement;
import troupe.config.TroupeSettings;
import troupe.core.engine.ReferenceEngine;
import troupe.core.engine.RolloutEngine;
import troupe.core.reward.RewardScorer;
import troupe.pipeline.Run;
import troupe.pipeline.TrainedModel;

/**
 * One cluster node of a run, hosting the roles it was started with. A node with the learner
 * role runs the learner side of the run ({@link Run} with the roles it does not host left to
 * other nodes) — the same code path as the embedded mode, which is simply a one-node cluster;
 * any other node hosts role actors under a {@link RoleNode} guardian. Seed nodes (local shape)
 * join automatically at start-up; the Kubernetes shape starts Pekko Management and Cluster
 * Bootstrap.
 */
public final class Node {
    /** How long after its system terminated a learner node waits for the run's result. */
    private static final Duration RESULT_AFTER_TERMINATION = Duration.ofSeconds(10);

    private final ActorSystem<?> system;
    private final CompletionStage<String> finished;
    private final NodeEngines engines;
    private final Run run;

    private Node(ActorSystem<?> system, CompletionStage<String> finished, NodeEngines engines, Run run) {
        this.run = run;
        this.system = system;
        this.finished = finished;
        this.engines = engines;
    }

    /**
     * Starts the node; returns once its ActorSystem runs (engines are loaded before).
     *
     * @param resumeFrom a learner node continues from this checkpoint folder
     */
    public static Node start(List<String> roles, Config config, NodeSettings node, Optional<Path> resumeFrom) {
        TroupeSettings settings = TroupeSettings.fromConfig(config);
        NodeEngines engines = new NodeEngines(config, settings, node);
        String host = config.getString("pekko.remote.artery.canonical.hostname") + ":"
                + config.getInt("pekko.remote.artery.canonical.port");
        List<RolloutEngine> generators = roles.contains("generator") ? engines.generators(host) : List.of();
        ReferenceEngine reference = roles.contains("reference") ? engines.reference() : null;
        List<RewardScorer> scorers = roles.contains("reward") ? engines.scorers() : List.of();
        ActorSystem<?> system;
        CompletionStage<String> finished;
        Run learnerRun = null;
        if (roles.contains("learner")) {
            Run run = Run.startNode(config, settings, node.runId(), new Run.Components(engines.prompts(),
                    settings.sampling().params(settings.run().seed()), generators, reference, engines.learner(),
                    scorers, engines.tokenizer()), resumeFrom);
            system = run.system();
            learnerRun = run;
            SeedCheck.afterJoin(system, config, resumeFrom.isPresent(), node.shape());
            // The result completes just after the system terminates; a system that terminated
            // without a result (the node was downed, or the learner failed) ends the command too.
            CompletableFuture<Run.Result> result = run.result().toCompletableFuture();
            system.getWhenTerminated().thenRun(() -> result.orTimeout(RESULT_AFTER_TERMINATION.toMillis(),
                    TimeUnit.MILLISECONDS));
            finished = result.thenApply(r -> "run " + r.runId() + " finished: " + r.steps() + " steps, policy v"
                    + r.policyVersion() + ", " + r.lostBatches() + " lost and re-issued, " + r.staleBatchesDropped()
                    + " stale; metrics " + r.metricsFile());
        } else {
            system = ActorSystem.create(RoleNode.create(new RoleNode.Hosted(generators, reference, scorers),
                    settings.pipeline(), AfterRun.fromConfig(config)), "troupe", config);
            finished = system.getWhenTerminated().thenApply(done -> "node stopped");
        }
        if (node.shape().equals("kubernetes")) {
            // No seed nodes on Kubernetes: peers are found through the API and the cluster forms itself.
            PekkoManagement.get(Adapter.toClassic(system)).start();
            ClusterBootstrap.get(Adapter.toClassic(system)).start();
        }
        return new Node(system, finished, engines, learnerRun);
    }

    /** The run a learner node drives; empty on other nodes. */
    public Optional<Run> run() {
        return Optional.ofNullable(run);
    }

    /** What the end of a learner node's run reads (its policy, held-out prompts and scorers); empty on other nodes. */
    public Optional<TrainedModel> trained() {
        return run == null ? Optional.empty() : Optional.of(engines);
    }

    /** Completes with a one-line summary when the run ends (learner node) or the node stops. */
    public CompletionStage<String> finished() {
        return finished;
    }

    public ActorSystem<?> system() {
        return system;
    }

    /** Releases the engines' native memory; call after the system terminated. */
    public void closeEngines() throws Exception {
        engines.close();
    }
}
