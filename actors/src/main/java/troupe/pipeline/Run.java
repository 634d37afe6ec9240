package troupe.pipeline;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.javadsl.Source;
import troupe.config.TroupeSettings;
import troupe.core.engine.LearnerEngine;
import troupe.core.engine.PromptSource;
import troupe.core.engine.ReferenceEngine;
import troupe.core.engine.RolloutEngine;
import troupe.core.reward.RewardScorer;
import troupe.core.rollout.SamplingParams;
import troupe.events.LearnerEventHub;
import troupe.roles.Checkpoints;
import troupe.events.MetricsLog;
import troupe.proto.v1.LearnerEvent;

/**
 * One embedded training run: an ActorSystem that is a one-node cluster, the roles built from
 * the given engines and scorers, the pipeline run for {@code troupe.run.steps} steps. Learner
 * events go to {@code <output-dir>/<run-id>/<metrics-file>} and to any {@link #events()}
 * subscriber. {@code troupe run} builds the engines from config and calls {@link #start}.
 */
public final class Run implements AutoCloseable {

    /**
     * The compute a run is made of; the lists give one generator actor per engine and one scorer
     * host per scorer. Engines are used from one actor each and must not be shared. On a cluster's
     * learner node ({@link #learnerOnly}) the lists are empty and {@code reference} is null: those
     * roles run on other nodes and are found through the Receptionist.
     */
    public record Components(PromptSource prompts, SamplingParams sampling, List<RolloutEngine> generators,
            ReferenceEngine reference, LearnerEngine learner, List<RewardScorer> scorers) {
        public Components {
            Objects.requireNonNull(prompts, "prompts");
            Objects.requireNonNull(sampling, "sampling");
            Objects.requireNonNull(learner, "learner");
            generators = List.copyOf(generators);
            scorers = List.copyOf(scorers);
        }

        /** A learner node's share: every other role is hosted by other nodes of the cluster. */
        public static Components learnerOnly(PromptSource prompts, SamplingParams sampling, LearnerEngine learner) {
            return new Components(prompts, sampling, List.of(), null, learner, List.of());
        }
    }

    /** How a finished run ended. */
    public record Result(String runId, long steps, long policyVersion, long staleBatchesDropped, long lostBatches,
            Optional<Path> lastCheckpoint, Path metricsFile) {}

    private final String runId;
    private final ActorSystem<RunSupervisor.Command> system;
    private final LearnerEventHub hub;
    private final CompletionStage<Result> result;

    private Run(String runId, ActorSystem<RunSupervisor.Command> system, LearnerEventHub hub,
            CompletionStage<Result> result) {
        this.runId = runId;
        this.system = system;
        this.hub = hub;
        this.result = result;
    }

    /**
     * Starts a run; returns at once. The result completes after the last step's event is in the
     * metrics file and the ActorSystem has terminated.
     *
     * @param config merged Troupe config (user file over reference); Pekko keys are honoured
     *     except those {@code troupe-embedded.conf} fixes for a one-node cluster on loopback
     */
    public static Run start(Config config, TroupeSettings settings, String runId, Components components) {
        return start(config, settings, runId, components, Optional.empty());
    }

    /**
     * Starts a run that continues from a checkpoint folder written by an earlier run: the learner
     * engine is restored from it, and step counter, batch ids and prompt position continue where
     * it left off, so the next batch and the weights are those the uninterrupted run would have had
     * (exact for {@code max-policy-lag = 0}).
     */
    public static Run start(Config config, TroupeSettings settings, String runId, Components components,
            Optional<Path> resumeFrom) {
        if (components.generators().isEmpty() || components.reference() == null) {
            throw new IllegalArgumentException("an embedded run needs at least one generator engine and a reference");
        }
        return launch(embedded(config), settings, runId, components, resumeFrom, true);
    }

    /**
     * Starts the learner side of a run on a cluster node whose config is complete (the node's
     * merged config): the node joins by its seed nodes or bootstrap, and the roles missing from
     * {@code components} are found on other nodes through the Receptionist. Same code as the
     * embedded run, which is a cluster of one.
     */
    public static Run startNode(Config nodeConfig, TroupeSettings settings, String runId, Components components,
            Optional<Path> resumeFrom) {
        return launch(nodeConfig, settings, runId, components, resumeFrom, false);
    }

    private static Run launch(Config nodeConfig, TroupeSettings settings, String runId, Components components,
            Optional<Path> resumeFrom, boolean joinSelf) {
        Optional<Checkpoints.State> resumed;
        try {
            resumed = resumeFrom.isPresent() ? Optional.of(Checkpoints.read(resumeFrom.get())) : Optional.empty();
            if (resumeFrom.isPresent()) {
                components.learner().restore(resumeFrom.get());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resume from " + resumeFrom.get(), e);
        }
        Path runFolder = settings.run().outputDir().resolve(runId);
        try {
            Files.createDirectories(runFolder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create run folder " + runFolder, e);
        }
        Path metricsFile = runFolder.resolve(settings.pipeline().metricsFile());
        CompletableFuture<troupe.roles.Learner.Finished> finished = new CompletableFuture<>();
        ActorSystem<RunSupervisor.Command> system = ActorSystem.create(
                RunSupervisor.create(new RunSupervisor.Spec(runId, settings, runFolder, components, resumed,
                        joinSelf), finished),
                "troupe", nodeConfig);
        LearnerEventHub hub = LearnerEventHub.start(system, settings.pipeline().eventHubBuffer(),
                settings.pipeline().subscriberBuffer());
        CompletionStage<?> metrics = MetricsLog.write(hub, metricsFile, system);
        system.tell(new RunSupervisor.Start(hub));
        CompletableFuture<Result> result = new CompletableFuture<>();
        finished.whenComplete((f, err) -> {
            // The learner published its last event before reporting; closing the hub flushes the log.
            hub.close();
            metrics.whenComplete((io, ioErr) -> {
                system.terminate();
                system.getWhenTerminated().whenComplete((t, tErr) -> {
                    Throwable failure = err != null ? err : ioErr;
                    if (failure != null) {
                        result.completeExceptionally(failure);
                    } else {
                        result.complete(new Result(runId, f.steps(), f.policyVersion(), f.staleDropped(),
                                f.lostBatches(), f.lastCheckpoint(), metricsFile));
                    }
                });
            });
        });
        return new Run(runId, system, hub, result);
    }

    /** The node config of an embedded run: Troupe's fixed embedded keys over {@code config}. */
    public static Config embedded(Config config) {
        return ConfigFactory.parseResources("troupe-embedded.conf").withFallback(config).resolve();
    }

    /** Live learner events from now on; a slow reader misses events rather than slowing the run. */
    public Source<LearnerEvent, NotUsed> events() {
        return hub.subscribe();
    }

    public CompletionStage<Result> result() {
        return result;
    }

    public String runId() {
        return runId;
    }

    /** The run's guardian: add or remove scorers, ask for status. */
    public ActorSystem<RunSupervisor.Command> system() {
        return system;
    }

    public void addScorer(RewardScorer scorer) {
        system.tell(new RunSupervisor.AddScorer(scorer));
    }

    public void removeScorer(String objective) {
        system.tell(new RunSupervisor.RemoveScorer(objective));
    }

    /** Stops the run without waiting for its steps (no final checkpoint). */
    @Override
    public void close() {
        system.terminate();
    }
}
