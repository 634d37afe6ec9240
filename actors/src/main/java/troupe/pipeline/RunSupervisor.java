package troupe.pipeline;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.ChildFailed;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.SelfUp;
import org.apache.pekko.cluster.typed.Subscribe;
import troupe.config.CheckpointSettings;
import troupe.config.PipelineSettings;
import troupe.config.TroupeSettings;
import troupe.core.reward.RewardScorer;
import troupe.proto.v1.LearnerEvent;
import troupe.roles.Checkpoints;
import troupe.roles.Generator;
import troupe.roles.Learner;
import troupe.roles.LearnerRunSettings;
import troupe.roles.ReferenceKl;
import troupe.roles.RewardScorerHost;

/**
 * Guardian of a run's learner node. Embedded, it joins its own one-node cluster (so the
 * Receptionist and every path are those of a real cluster) and hosts every role; on a cluster's
 * learner node it hosts the learner, the pipeline and the pools, and the other roles register
 * from their own nodes. It builds the topology once the node is Up, runs the pipeline,
 * and supervises the roles. Requests for the learner or the reward stage that arrive before the
 * node is Up are stashed and answered once they exist. Generators, the reference and scorer
 * hosts restart with backoff (their engines survive in the closure); the learner is not
 * restarted — its failure fails the run, since its state is the run.
 */
public final class RunSupervisor extends AbstractBehavior<RunSupervisor.Command> {

    public sealed interface Command {}

    /**
     * Host one more scorer on this node; it joins the reward vector from a following batch. An
     * objective already hosted here is refused. {@code initialShare}, when given, is the share of the
     * weight simplex its objective starts with (else the learner's new-objective-share).
     */
    public record AddScorer(RewardScorer scorer, java.util.OptionalDouble initialShare,
            ActorRef<ScorerReply> replyTo) implements Command {}

    /** Stop the local host of {@code objective}; its objective leaves the weighting. Unknown names are refused. */
    public record RemoveScorer(String objective, ActorRef<ScorerReply> replyTo) implements Command {}

    /** Hand a steering command (pause, checkpoint, set weighting, ...) to the learner. */
    public record ToLearner(Learner.Command command) implements Command {}

    public record GetLearnerStatus(ActorRef<Learner.Status> replyTo) implements Command {}

    public record ListScorers(ActorRef<RewardCoordinator.ScorerList> replyTo) implements Command {}

    private record NodeUp() implements Command {}

    public sealed interface ScorerReply {}

    public record ScorerAdded(String objective) implements ScorerReply {}

    public record ScorerRemoved(String objective) implements ScorerReply {}

    public record ScorerRefused(String objective, String reason) implements ScorerReply {}

    private record LearnerFinished(Learner.Finished finished) implements Command {}

    private record PipelineEnded(Throwable error) implements Command {}

    /**
     * Everything a run is made of.
     *
     * @param resumeFrom a checkpoint folder to continue from, already loaded into the learner engine
     * @param events where the learner publishes each step's event (metrics log and event hub)
     * @param joinSelf form a one-node cluster (embedded); otherwise the node joins by its config
     * @param roles gets the roles present and waited for at every change ({@link RoleWatch})
     */
    public record Spec(String runId, TroupeSettings settings, Path runFolder, Run.Components components,
            Optional<Checkpoints.State> resumeFrom, Consumer<LearnerEvent> events, boolean joinSelf,
            Consumer<troupe.api.RunRoles> roles) {}

    /** Requests held while the node comes up; far more than a client sends in that second. */
    private static final int STASH_CAPACITY = 1000;

    /** Jitter of restart backoffs, so roles that failed together do not restart in lockstep. */
    private static final double RESTART_JITTER = 0.2;

    private final Spec spec;
    private final CompletableFuture<Learner.Finished> result;
    private final StashBuffer<Command> stash;
    private final Map<String, ActorRef<RewardScorerHost.Command>> scorers = new HashMap<>();
    private ActorRef<Learner.Command> learner;
    private ActorRef<RewardCoordinator.Command> rewards;

    private RunSupervisor(ActorContext<Command> ctx, StashBuffer<Command> stash, Spec spec,
            CompletableFuture<Learner.Finished> result) {
        super(ctx);
        this.stash = stash;
        this.spec = spec;
        this.result = result;
    }

    public static Behavior<Command> create(Spec spec, CompletableFuture<Learner.Finished> result) {
        return Behaviors.withStash(STASH_CAPACITY, stash -> Behaviors.setup(ctx -> {
            Cluster cluster = Cluster.get(ctx.getSystem());
            cluster.subscriptions().tell(Subscribe.create(ctx.messageAdapter(SelfUp.class, up -> new NodeUp()),
                    SelfUp.class));
            if (spec.joinSelf()) {
                // Embedded mode is a cluster of one: the node joins itself.
                cluster.manager().tell(Join.create(cluster.selfMember().address()));
            }
            return new RunSupervisor(ctx, stash, spec, result);
        }));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(NodeUp.class, m -> build())
                .onMessage(AddScorer.class, this::onAddScorer)
                .onMessage(RemoveScorer.class, this::onRemoveScorer)
                .onMessage(GetLearnerStatus.class, m -> forward(m, () -> learner.tell(new Learner.GetStatus(m.replyTo()))))
                .onMessage(ToLearner.class, m -> forward(m, () -> learner.tell(m.command())))
                .onMessage(ListScorers.class,
                        m -> forward(m, () -> rewards.tell(new RewardCoordinator.ListScorers(m.replyTo()))))
                .onMessage(LearnerFinished.class, m -> {
                    // Role nodes learn that the run ended (they exit or wait, troupe.node.after-run) before it completes.
                    RunEndNotice.announce(getContext().getSystem(), spec.runId(), m.finished().steps())
                            .whenComplete((told, err) -> result.complete(m.finished()));
                    return this;
                })
                .onMessage(PipelineEnded.class, this::onPipelineEnded)
                .onSignal(ChildFailed.class, this::onChildFailed)
                .onSignal(Terminated.class, t -> this)
                .build();
    }

    private Behavior<Command> build() {
        if (learner != null) {
            return this;
        }
        PipelineSettings p = spec.settings().pipeline();
        CheckpointSettings ck = spec.settings().checkpoint();
        Run.Components c = spec.components();
        ActorContext<Command> ctx = getContext();
        DispatcherSelector blocking = DispatcherSelector.blocking();
        for (int i = 0; i < c.generators().size(); i++) {
            ctx.spawn(restarting(Generator.create(c.generators().get(i), p.weightBroadcastTimeout())), "generator-" + i,
                    blocking);
        }
        c.scorers().forEach(this::spawnScorer);
        if (c.reference() != null) {
            ctx.spawn(restarting(ReferenceKl.create(c.reference())), "reference", blocking);
        }
        var references = ctx.spawn(RolePool.references(p.referenceParallelism()), "references");
        var pool = ctx.spawn(RolePool.generators(p.generatorParallelism()), "generators");
        rewards = ctx.spawn(RewardCoordinator.create(new RewardCoordinator.Settings(p.scorerDeadline(),
                p.quarantineAfter(), p.quarantineProbeInterval())), "rewards");
        var permits = Pipeline.permits(ctx.getSystem(), p);
        LearnerRunSettings plain = new LearnerRunSettings(spec.runId(), spec.settings().run().steps(), p.maxPolicyLag(),
                p.weightBroadcastTimeout(), ck.everyNSteps(), ck.onShutdown(), ck.dirFor(spec.runFolder()),
                spec.resumeFrom(), spec.runFolder().resolve(p.ledgerFile())).withCheckpointModel(c.tokenizer());
        LearnerRunSettings ls = spec.settings().learner().dynamicSampling()
                .map(d -> plain.withDynamicSampling(d, p.promptsPerStep())).orElse(plain)
                .withSamples(spec.settings().learnerEvents().samples());
        // Batch ids are 1-based and every admitted batch takes prompts-per-step prompts, so a resumed
        // run continues both where the checkpoint's last trained batch left them (exact for lag 0).
        long lastBatch = spec.resumeFrom().map(Checkpoints.State::lastBatchId).orElse(0L);
        c.prompts().seek(lastBatch * p.promptsPerStep());
        learner = ctx.spawn(Learner.create(c.learner(), ls, permits.first(), spec.events(),
                ctx.messageAdapter(Learner.Finished.class, LearnerFinished::new)), "learner", blocking);
        ctx.watch(learner);
        if (ck.onShutdown()) {
            ShutdownCheckpoint.register(ctx.getSystem(), learner, result);
        }
        ctx.spawn(RoleWatch.create(learner, spec.roles()), "role-watch");
        var inputs = new Pipeline.Inputs(spec.runId(), spec.settings().run().seed(), lastBatch + 1, c.prompts(),
                c.sampling());
        var done = Pipeline.run(permits.second(), inputs, new Pipeline.Stages(pool, rewards, references, learner), p,
                ctx.getSystem());
        ctx.pipeToSelf(done, (ok, err) -> new PipelineEnded(err));
        ctx.getLog().info("run {} started: {} generators, {} scorers, {} steps", spec.runId(),
                c.generators().size(), c.scorers().size(), spec.settings().run().steps());
        return stash.unstashAll(this);
    }

    private <T> Behavior<T> restarting(Behavior<T> behavior) {
        PipelineSettings p = spec.settings().pipeline();
        return Behaviors.supervise(behavior).onFailure(Exception.class,
                SupervisorStrategy.restartWithBackoff(p.restartMinBackoff(), p.restartMaxBackoff(), RESTART_JITTER));
    }

    private Behavior<Command> onAddScorer(AddScorer msg) {
        String name = msg.scorer().objective().name();
        if (scorers.containsKey(name)) {
            msg.replyTo().tell(new ScorerRefused(name, "objective '" + name + "' is already scored in this run"));
        } else {
            // Told before the host exists, so the learner knows the share when the first column arrives.
            msg.initialShare().ifPresent(share -> forward(new ToLearner(new Learner.ExpectObjective(name, share)),
                    () -> learner.tell(new Learner.ExpectObjective(name, share))));
            spawnScorer(msg.scorer());
            msg.replyTo().tell(new ScorerAdded(name));
        }
        return this;
    }

    private void spawnScorer(RewardScorer scorer) {
        String name = scorer.objective().name();
        if (scorers.containsKey(name)) {
            getContext().getLog().error("scorer for objective '{}' already hosted here; ignored", name);
            return;
        }
        // Default dispatcher: the host hands its scorer's calls to the blocking pool itself.
        scorers.put(name, getContext().spawn(restarting(RewardScorerHost.create(scorer,
                spec.settings().pipeline().scorerQueue())), "scorer-" + name));
    }

    private Behavior<Command> onRemoveScorer(RemoveScorer msg) {
        ActorRef<RewardScorerHost.Command> host = scorers.remove(msg.objective());
        if (host == null) {
            msg.replyTo().tell(new ScorerRefused(msg.objective(), "no scorer of objective '" + msg.objective()
                    + "' in this run; live: " + new java.util.TreeSet<>(scorers.keySet())));
        } else {
            getContext().stop(host); // the Receptionist drops a stopped actor from the listing
            msg.replyTo().tell(new ScorerRemoved(msg.objective()));
        }
        return this;
    }

    /** Runs {@code send} once the roles exist; until then keeps {@code msg} for later. */
    private Behavior<Command> forward(Command msg, Runnable send) {
        if (learner == null) {
            stash.stash(msg);
        } else {
            send.run();
        }
        return this;
    }

    private Behavior<Command> onPipelineEnded(PipelineEnded msg) {
        if (msg.error() != null && !result.isDone()) {
            getContext().getLog().error("pipeline of run {} failed", spec.runId(), msg.error());
            result.completeExceptionally(msg.error());
        }
        return this;
    }

    private Behavior<Command> onChildFailed(ChildFailed failed) {
        if (failed.getRef().equals(learner) && !result.isDone()) {
            result.completeExceptionally(new IllegalStateException("learner failed", failed.getCause()));
        }
        return this;
    }
}
