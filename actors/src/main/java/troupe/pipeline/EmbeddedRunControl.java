package troupe.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import troupe.api.CheckpointInfo;
import troupe.api.ControlException;
import troupe.api.ObjectiveInfo;
import troupe.api.RemoteScorerSpec;
import troupe.api.RunControl;
import troupe.api.RunRoles;
import troupe.api.RunState;
import troupe.api.RunStatus;
import troupe.api.WeightingChange;
import troupe.api.WeightingState;
import troupe.api.remote.RemoteRewardScorer;
import troupe.api.remote.RemoteScorerException;
import troupe.config.TroupeSettings;
import troupe.core.reward.RewardScorer;
import troupe.core.weighting.FixedLinearStrategy;
import troupe.roles.Learner;

/**
 * {@link RunControl} over an embedded {@link Run}: every call is an ask of the run's guardian
 * (steering goes on to the learner, which answers between steps), so no caller thread blocks on
 * the pipeline. Once the run has ended, steering is refused with FAILED_PRECONDITION and status
 * reports STOPPED or FAILED.
 *
 * <p>Owns the remote scorers it connects: each is closed when removed or when the run ends.
 */
public final class EmbeddedRunControl implements RunControl {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedRunControl.class);

    private final Run run;
    private final TroupeSettings settings;
    private final Duration timeout;
    private final Instant started = Instant.now();
    private final ObjectiveListing objectives;
    private final Map<String, RemoteRewardScorer> remote = new ConcurrentHashMap<>();
    private final Executor blocking;

    /** @param scorers the scorers the run was started with (for ListObjectives' direction and source) */
    public EmbeddedRunControl(Run run, TroupeSettings settings, List<RewardScorer> scorers) {
        this.run = run;
        this.settings = settings;
        this.timeout = settings.grpc().controlTimeout();
        this.objectives = new ObjectiveListing(run.hub(), scorers);
        // Describe is a blocking call with retries: it runs where blocking is expected.
        this.blocking = run.system().dispatchers().lookup(DispatcherSelector.blocking());
        run.result().whenComplete((r, err) -> remote.values().forEach(RemoteRewardScorer::close));
    }

    @Override
    public CompletionStage<RunStatus> status() {
        Optional<RunStatus> ended = endedStatus();
        if (ended.isPresent()) {
            return CompletableFuture.completedFuture(ended.get());
        }
        CompletionStage<Learner.Status> learner = ask(r -> new RunSupervisor.GetLearnerStatus(r));
        CompletionStage<RewardCoordinator.ScorerList> scorers = ask(RunSupervisor.ListScorers::new);
        return learner.thenCombine(scorers, (l, s) -> {
            // The nodes each role's actors are registered from, as the learner's role watch sees them.
            RunRoles readiness = run.roles();
            Map<String, List<String>> roles = new LinkedHashMap<>(readiness.nodes());
            roles.put("learner", List.of(run.system().address().hostPort()));
            return new RunStatus(run.runId(), state(l.phase()), l.step(), settings.run().steps(), l.policyVersion(),
                    roles, l.weightingStrategy().isEmpty() ? settings.learner().weighting().strategy() : l.weightingStrategy(),
                    l.lastCheckpoint().map(Object::toString).orElse(""), uptime(),
                    l.waiting().isEmpty() ? "" : "waiting: " + l.waiting(), readiness);
        });
    }

    @Override
    public CompletionStage<List<ObjectiveInfo>> listObjectives() {
        return this.<RewardCoordinator.ScorerList>ask(RunSupervisor.ListScorers::new)
                .thenApply(list -> objectives.list(list.scorers()));
    }

    @Override
    public CompletionStage<WeightingState> setWeighting(WeightingChange change) {
        // Fixed weights are the fixed-linear strategy started at those weights.
        String strategy = change instanceof WeightingChange.Strategy s ? s.name() : FixedLinearStrategy.NAME;
        Map<String, Double> weights = change instanceof WeightingChange.Fixed f ? f.weights() : Map.of();
        return steer((ActorRef<Learner.WeightingReply> r) -> new Learner.SetWeighting(strategy, weights, r))
                .thenApply(reply -> {
                    if (reply instanceof Learner.WeightingRejected no) {
                        // With weights given the strategy was ours to pick, so the weights are at fault.
                        throw ControlException.invalid(weights.isEmpty() ? "strategy" : "fixed.weights", no.reason());
                    }
                    Learner.WeightingSet ok = (Learner.WeightingSet) reply;
                    return new WeightingState(ok.strategy(), ok.weights());
                });
    }

    @Override
    public CompletionStage<ObjectiveInfo> addRemoteScorer(RemoteScorerSpec spec) {
        if (ended()) {
            return CompletableFuture.failedFuture(endedError());
        }
        // The request's initial_weight, else troupe.remote-scorer.initial-weight; 0 = the learner's new-objective-share.
        double share = spec.initialWeight().orElse(settings.remoteScorer().initialWeight());
        java.util.OptionalDouble initialShare = share > 0 ? java.util.OptionalDouble.of(share)
                : java.util.OptionalDouble.empty();
        return CompletableFuture.supplyAsync(() -> connect(spec), blocking)
                .thenCompose(scorer -> run.addScorer(scorer, initialShare).thenApply(reply -> {
                    String name = scorer.objective().name();
                    if (reply instanceof RunSupervisor.ScorerRefused no) {
                        scorer.close();
                        throw ControlException.alreadyExists("name", no.reason());
                    }
                    remote.put(name, scorer);
                    objectives.remember(scorer.objective(), scorer.source());
                    return objectives.joining(scorer.objective(), scorer.source());
                }));
    }

    private RemoteRewardScorer connect(RemoteScorerSpec spec) {
        try {
            return RemoteRewardScorer.connect(spec, settings.remoteScorer(), run.runId());
        } catch (RemoteScorerException e) {
            throw new ControlException(ControlException.Kind.FAILED_PRECONDITION, "target", e.getMessage());
        }
    }

    @Override
    public CompletionStage<Void> removeScorer(String name) {
        if (ended()) {
            return CompletableFuture.failedFuture(endedError());
        }
        return run.removeScorer(name).thenApply(reply -> {
            if (reply instanceof RunSupervisor.ScorerRefused no) {
                throw ControlException.notFound("name", no.reason());
            }
            // Scoring calls still on the way fail fast and are counted as faults of a leaving scorer.
            Optional.ofNullable(remote.remove(name)).ifPresent(RemoteRewardScorer::close);
            return null;
        });
    }

    @Override
    public CompletionStage<RunState> pause() {
        return steer(Learner.Pause::new).thenApply(s -> state(s.phase()));
    }

    @Override
    public CompletionStage<RunState> resume() {
        return steer(Learner.Resume::new).thenApply(s -> {
            if (s.phase() == Learner.Phase.STOPPING) {
                throw ControlException.failedPrecondition("run " + run.runId() + " is stopping");
            }
            return state(s.phase());
        });
    }

    @Override
    public CompletionStage<CheckpointInfo> checkpoint() {
        return steer(Learner.WriteCheckpoint::new).thenApply(reply -> {
            if (reply instanceof Learner.CheckpointFailed no) {
                throw new IllegalStateException("checkpoint failed: " + no.reason());
            }
            Learner.CheckpointWritten ok = (Learner.CheckpointWritten) reply;
            return new CheckpointInfo(ok.path().toString(), ok.step());
        });
    }

    @Override
    public CompletionStage<RunState> stop(boolean checkpointFirst) {
        return steer((ActorRef<Learner.Steered> r) -> new Learner.Stop(checkpointFirst, r))
                .thenApply(s -> state(s.phase()));
    }

    /** Asks the learner through the guardian; refused once the run has ended. */
    private <T> CompletionStage<T> steer(Function<ActorRef<T>, Learner.Command> command) {
        if (ended()) {
            return CompletableFuture.failedFuture(endedError());
        }
        return ask(r -> new RunSupervisor.ToLearner(command.apply(r)));
    }

    private <T> CompletionStage<T> ask(Function<ActorRef<T>, RunSupervisor.Command> message) {
        return AskPattern.ask(run.system(), message::apply, timeout, run.system().scheduler());
    }

    private boolean ended() {
        return run.result().toCompletableFuture().isDone();
    }

    private ControlException endedError() {
        return ControlException.failedPrecondition("run " + run.runId() + " has ended");
    }

    private Optional<RunStatus> endedStatus() {
        CompletableFuture<Run.Result> r = run.result().toCompletableFuture();
        if (!r.isDone()) {
            return Optional.empty();
        }
        if (r.isCompletedExceptionally()) {
            String detail = r.handle((ok, err) -> String.valueOf(err)).join();
            return Optional.of(new RunStatus(run.runId(), RunState.FAILED, 0, settings.run().steps(), 0, Map.of(),
                    settings.learner().weighting().strategy(), "", uptime(), detail));
        }
        Run.Result done = r.join();
        String weighting = run.hub().latest().map(e -> e.getWeightingStrategy()).orElse(settings.learner().weighting().strategy());
        return Optional.of(new RunStatus(run.runId(), RunState.STOPPED, done.steps(), settings.run().steps(),
                done.policyVersion(), Map.of(), weighting, done.lastCheckpoint().map(Object::toString).orElse(""),
                uptime(), ""));
    }

    private Duration uptime() {
        return Duration.between(started, Instant.now());
    }

    private static RunState state(Learner.Phase phase) {
        return switch (phase) {
            case STARTING -> RunState.STARTING;
            case RUNNING -> RunState.RUNNING;
            case PAUSED -> RunState.PAUSED;
            case STOPPING -> RunState.STOPPING;
            case WAITING -> RunState.WAITING;
        };
    }
}
