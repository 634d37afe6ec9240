package troupe.pipeline;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.stream.javadsl.Source;
import troupe.api.LearnerEventHub;
import troupe.api.RunRoles;
import troupe.config.TroupeSettings;
import troupe.core.engine.LearnerEngine;
import troupe.core.engine.PromptSource;
import troupe.core.engine.ReferenceEngine;
import troupe.core.engine.RolloutEngine;
import troupe.core.model.hf.TextTokenizer;
import troupe.core.reward.RewardScorer;
import troupe.core.rollout.SamplingParams;
import troupe.events.MetricsLog;
import troupe.proto.v1.LearnerEvent;
import troupe.roles.Checkpoints;

/**
 * One embedded training run: an ActorSystem that is a one-node cluster, the roles built from
 * the given engines and scorers, the pipeline run for {@code troupe.run.steps} steps. Each
 * learner event gets the health alerts active after its step ({@link HealthGuard}, which also
 * applies {@code troupe.health.on-alert}), is appended to
 * {@code <output-dir>/<run-id>/<metrics-file>} (every one) and then published to the run's
 * {@link LearnerEventHub} ({@link #hub()}: gRPC Watch, SSE, and {@link #events()} subscribers,
 * which may miss events when slow). {@code troupe run} builds the
 * engines from config and calls {@link #start}.
 */
public final class Run implements AutoCloseable {

    /**
     * The compute a run is made of; the lists give one generator actor per engine and one scorer
     * host per scorer. Engines are used from one actor each and must not be shared. On a cluster's
     * learner node the lists may be empty and {@code reference} null: those roles run on other
     * nodes and are found through the Receptionist. With the policy's {@code tokenizer}, every
     * checkpoint also holds the policy as a Hugging Face folder (`troupe eval --model` reads it);
     * null = checkpoints hold only what a resume needs.
     */
    public record Components(PromptSource prompts, SamplingParams sampling, List<RolloutEngine> generators,
            ReferenceEngine reference, LearnerEngine learner, List<RewardScorer> scorers, TextTokenizer tokenizer) {
        public Components {
            Objects.requireNonNull(prompts, "prompts");
            Objects.requireNonNull(sampling, "sampling");
            Objects.requireNonNull(learner, "learner");
            generators = List.copyOf(generators);
            scorers = List.copyOf(scorers);
        }

        /** Without a tokenizer: checkpoints hold no model folder. */
        public Components(PromptSource prompts, SamplingParams sampling, List<RolloutEngine> generators,
                ReferenceEngine reference, LearnerEngine learner, List<RewardScorer> scorers) {
            this(prompts, sampling, generators, reference, learner, scorers, null);
        }
    }

    /** How a finished run ended. */
    public record Result(String runId, long steps, long policyVersion, long staleBatchesDropped, long lostBatches,
            Optional<Path> lastCheckpoint, Path metricsFile) {}

    /** The supervisor answers scorer changes at once; the bound only covers a run that is going down. */
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);

    private final String runId;
    private final ActorSystem<RunSupervisor.Command> system;
    private final LearnerEventHub hub;
    private final MetricsLog metrics;
    private final CompletionStage<Result> result;
    private final AtomicReference<RunRoles> roles;

    private Run(String runId, ActorSystem<RunSupervisor.Command> system, LearnerEventHub hub, MetricsLog metrics,
            CompletionStage<Result> result, AtomicReference<RunRoles> roles) {
        this.roles = roles;
        this.runId = runId;
        this.system = system;
        this.hub = hub;
        this.metrics = metrics;
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
        MetricsLog metrics;
        try {
            metrics = resumeFrom.isPresent() ? MetricsLog.append(metricsFile) : MetricsLog.open(metricsFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create metrics log " + metricsFile, e);
        }
        LearnerEventHub hub = LearnerEventHub.create(settings.learnerEvents());
        HealthGuard health = new HealthGuard(settings.health(), primaryObjective(settings, components));
        AtomicReference<RunRoles> roles = new AtomicReference<>(RunRoles.UNKNOWN);
        Consumer<LearnerEvent> publish = event -> {
            // the roles as the step ends, then the health alerts
            LearnerEvent checked = health.check(event.toBuilder().setRoles(roles.get().toProto()).build());
            metrics.accept(checked); // the lossless record first: a hub subscriber may act on the event at once
            hub.publish(checked);
            health.act(checked);
        };
        CompletableFuture<troupe.roles.Learner.Finished> finished = new CompletableFuture<>();
        ActorSystem<RunSupervisor.Command> system = ActorSystem.create(
                RunSupervisor.create(new RunSupervisor.Spec(runId, settings, runFolder, components, resumed, publish,
                        joinSelf, roles::set), finished),
                "troupe", nodeConfig);
        health.steerThrough(HealthGuard.learnerOf(system));
        CompletableFuture<Result> result = new CompletableFuture<>();
        finished.whenComplete((f, err) -> {
            // The learner published its last event before reporting: closing ends every subscription
            // after the events it holds.
            hub.close();
            Throwable closeErr = null;
            try {
                metrics.close();
            } catch (IOException e) {
                closeErr = e;
            }
            Throwable failure = err != null ? err : closeErr;
            system.terminate();
            system.getWhenTerminated().whenComplete((t, tErr) -> {
                if (failure != null) {
                    result.completeExceptionally(failure);
                } else {
                    result.complete(new Result(runId, f.steps(), f.policyVersion(), f.staleDropped(),
                            f.lostBatches(), f.lastCheckpoint(), metricsFile));
                }
            });
        });
        return new Run(runId, system, hub, metrics, result, roles);
    }

    /** troupe.health.primary-objective, else the first scorer's objective; empty = the first of the first event. */
    private static String primaryObjective(TroupeSettings settings, Components components) {
        String configured = settings.health().primaryObjective();
        return !configured.isEmpty() || components.scorers().isEmpty() ? configured
                : components.scorers().get(0).objective().name();
    }

    /** The node config of an embedded run: Troupe's fixed embedded keys over {@code config}. */
    public static Config embedded(Config config) {
        return ConfigFactory.parseResources("troupe-embedded.conf").withFallback(config).resolve();
    }

    /**
     * Live learner events from materialisation on, one hub subscription per materialisation
     * (closed when the stream is cancelled); a slow reader misses events — counted in their
     * {@code missed_events} — rather than slowing the run. Completes when the run ends.
     */
    public Source<LearnerEvent, NotUsed> events() {
        return Source.<LearnerEvent, LearnerEventHub.Subscription>unfoldResourceAsync(
                () -> CompletableFuture.completedFuture(hub.subscribe(0)),
                LearnerEventHub.Subscription::next,
                sub -> {
                    sub.close();
                    return CompletableFuture.completedFuture(Done.getInstance());
                });
    }

    /** The run's event hub, for the gRPC and HTTP servers. */
    public LearnerEventHub hub() {
        return hub;
    }

    /** The roles the run needs, present and waited for, as the learner's role watch saw them last. */
    public RunRoles roles() {
        return roles.get();
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

    /** Hosts one more scorer; refused when its objective is already scored in this run. */
    public CompletionStage<RunSupervisor.ScorerReply> addScorer(RewardScorer scorer, java.util.OptionalDouble initialShare) {
        return AskPattern.ask(system, r -> new RunSupervisor.AddScorer(scorer, initialShare, r), ASK_TIMEOUT,
                system.scheduler());
    }

    /** Removes the scorer of {@code objective}; refused when there is none. */
    public CompletionStage<RunSupervisor.ScorerReply> removeScorer(String objective) {
        return AskPattern.ask(system, r -> new RunSupervisor.RemoveScorer(objective, r), ASK_TIMEOUT,
                system.scheduler());
    }

    /**
     * Stops the run without waiting for its steps (no final checkpoint); after a finished run it
     * only releases what is left. For a clean early end use {@link RunSupervisor.ToLearner} with
     * {@link troupe.roles.Learner.Stop}.
     */
    @Override
    public void close() {
        system.terminate();
        hub.close();
        try {
            metrics.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + metrics.file(), e);
        }
    }
}
