package troupe.roles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import troupe.core.engine.LearnerEngine;
import troupe.core.engine.WeightUpdate;
import troupe.core.rollout.RolloutBatch;
import troupe.proto.v1.LearnerEvent;

/**
 * The learner role. Owns the step counter, the policy version (through its engine), the count of
 * stale batches, checkpoints, and the sampling permits that bound how far generation runs ahead.
 *
 * <p>Permits: the pipeline admits one batch per {@link PermitGranted}. The learner keeps at most
 * {@code maxPolicyLag + 1} permits outstanding and re-grants one when a batch settles — trained,
 * dropped as stale, or lost on the way. A permit names the learner's version, and a generator
 * samples the batch only once it holds that version ({@link Generator}): admission does not wait
 * for the weight broadcast, which would otherwise sit in this mailbox behind the next training
 * step. With lag 0 the next batch is still sampled only with the weights of the previous step:
 * strictly on-policy. It grants no more than the run needs and closes the gate after the last step
 * ({@link PermitGate}); trained steps' events wait for their weights ({@link PendingEvents}).
 *
 * <p>Steering (Control): {@link Pause} stops granting permits — batches already admitted are
 * trained — and {@link Resume} grants again; {@link Stop} closes the permits once the trained
 * steps' events are out, drops batches still on the way (a resume re-samples them: its batch ids
 * continue from the last trained one) and finishes as at the run's end. {@link WriteCheckpoint}
 * and {@link SetWeighting} run between steps, since the actor trains in its handler.
 *
 * <p>Batches arrive through a backpressured sink ({@link Train} is acknowledged with
 * {@link BatchHandled} only after training), so a slow learner slows the whole pipeline. Training
 * runs in the handler: spawn on a blocking dispatcher. A failure here stops the run.
 */
public final class Learner extends AbstractBehavior<Learner.Command> {

    public sealed interface Command {}

    /** The pipeline's sink connected; the learner acknowledges with {@link BatchHandled} to ask for a batch. */
    public record StreamStarted(ActorRef<BatchHandled> ackTo) implements Command {}

    /** Train on a scored, referenced batch (or drop it as stale), then acknowledge. */
    public record Train(RolloutBatch batch, ActorRef<BatchHandled> ackTo) implements Command {}

    public record StreamCompleted() implements Command {}

    public record StreamFailed(Throwable cause) implements Command {}

    /** The objective {@code name}, when its column first arrives, starts at {@code share} of the weight simplex. */
    public record ExpectObjective(String name, double share) implements Command {}

    /** A batch admitted by a permit never reached the learner (generation or reference failed). */
    public record ReportLost(long batchId, String reason) implements Command {}

    public record GetStatus(ActorRef<Status> replyTo) implements Command {}

    /** Stop granting sampling permits; admitted batches are still trained. */
    public record Pause(ActorRef<Steered> replyTo) implements Command {}

    /** Grant permits again after a {@link Pause}; a stopping learner stays stopping. */
    public record Resume(ActorRef<Steered> replyTo) implements Command {}

    /** End the run early; {@code checkpoint} forces a final checkpoint even without checkpoint.on-shutdown. */
    public record Stop(boolean checkpoint, ActorRef<Steered> replyTo) implements Command {}

    /** Write a checkpoint of the current step now (the existing one when this step has one). */
    public record WriteCheckpoint(ActorRef<CheckpointReply> replyTo) implements Command {}

    /**
     * Replace the weighting strategy from the next step ({@link LearnerEngine#setWeighting});
     * {@code initialWeights} empty = the strategy's configured start.
     */
    public record SetWeighting(String strategy, Map<String, Double> initialWeights,
            ActorRef<WeightingReply> replyTo) implements Command {
        public SetWeighting {
            initialWeights = Map.copyOf(initialWeights);
        }
    }

    /**
     * A role has no live node ({@code detail} says which, e.g. "no reward scorer in the cluster"):
     * no permits are granted until an empty detail says every role is back.
     */
    public record Waiting(String detail) implements Command {}

    private record GeneratorsChanged(Receptionist.Listing listing) implements Command {}

    private record BroadcastDone(WeightBroadcast.Finished result) implements Command {}

    public record BatchHandled() {}

    /** Sampling permits, read by the pipeline's admission source. */
    public sealed interface Permit {}

    /** One more batch may be sampled, with weights of at least {@code policyVersion}. */
    public record PermitGranted(long policyVersion) implements Permit {}

    /** No more batches: the run has all its steps. */
    public record PermitsClosed() implements Permit {}

    /** Where the learner stands: STARTING until the generators hold the initial weights; WAITING for a role. */
    public enum Phase { STARTING, RUNNING, PAUSED, STOPPING, WAITING }

    /**
     * @param weightingStrategy the strategy of the last step or {@link SetWeighting}; empty before either
     * @param waiting what the run waits for ({@link Waiting}); empty = nothing
     */
    public record Status(long step, long policyVersion, long staleDropped, long lostBatches, int outstandingPermits,
            int generators, Optional<Path> lastCheckpoint, Phase phase, String weightingStrategy, String waiting) {}

    /** The phase after a {@link Pause}, {@link Resume} or {@link Stop}. */
    public record Steered(Phase phase) {}

    public sealed interface CheckpointReply {}

    public record CheckpointWritten(Path path, long step) implements CheckpointReply {}

    /** The run goes on: a requested checkpoint that fails does not fail the run. */
    public record CheckpointFailed(String reason) implements CheckpointReply {}

    public sealed interface WeightingReply {}

    /** @param weights objective name → weight in force from the next step, summing to 1 */
    public record WeightingSet(String strategy, Map<String, Double> weights) implements WeightingReply {}

    /** The engine refused the strategy name or the weights; the previous weighting stays. */
    public record WeightingRejected(String reason) implements WeightingReply {}

    /** The run's steps are done (or the stream ended); sent once, after the final checkpoint. */
    public record Finished(long steps, long policyVersion, long staleDropped, long lostBatches,
            Optional<Path> lastCheckpoint) {}

    private final LearnerEngine engine;
    private final LearnerRunSettings settings;
    private final PermitGate gate;
    private final Consumer<LearnerEvent> events;
    private final ActorRef<Finished> onFinished;
    private final LearnerBook book;
    private final Set<ActorRef<Generator.Command>> generators = new HashSet<>();
    private final PendingEvents pending = new PendingEvents();
    private final StepAssembly assembly;
    private final StepTrainer trainer;
    private final ReferenceAnchors anchors;
    /** Tells generators apart this learner's weights from an earlier learner's (a resume may go back in versions). */
    private final long incarnation = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    private WeightUpdate latestWeights;
    private boolean checkpointOnStop;
    private String weighting = "";

    private Learner(ActorContext<Command> ctx, LearnerEngine engine, LearnerRunSettings settings,
            ActorRef<Permit> permits, Consumer<LearnerEvent> events, ActorRef<Finished> onFinished) {
        super(ctx);
        this.engine = engine;
        this.settings = settings;
        this.gate = new PermitGate(permits, settings.maxPolicyLag(), settings.totalSteps());
        this.events = events;
        this.onFinished = onFinished;
        this.book = new LearnerBook(settings, engine, ctx.getLog());
        this.assembly = new StepAssembly(settings.dynamicSampling(), settings.groupsPerStep(), book.ledger(),
                ctx.getLog());
        this.trainer = new StepTrainer(engine, settings, book, assembly, ctx.getSystem().address().toString(),
                ctx.getLog());
        this.latestWeights = engine.currentWeights();
        this.anchors = new ReferenceAnchors(ctx, engine); // APO: a moving reference, sent before any permit
    }

    public static Behavior<Command> create(LearnerEngine engine, LearnerRunSettings settings, ActorRef<Permit> permits,
            Consumer<LearnerEvent> events, ActorRef<Finished> onFinished) {
        return Behaviors.setup(ctx -> {
            ctx.getSystem().receptionist().tell(Receptionist.subscribe(Generator.KEY,
                    ctx.messageAdapter(Receptionist.Listing.class, GeneratorsChanged::new)));
            return new Learner(ctx, engine, settings, permits, events, onFinished);
        });
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(StreamStarted.class, m -> ack(m.ackTo()))
                .onMessage(Train.class, this::onTrain)
                .onMessage(ReportLost.class, this::onLost)
                .onMessage(ExpectObjective.class, m -> {
                    trainer.expectObjective(m.name(), m.share());
                    return this;
                })
                .onMessage(GeneratorsChanged.class, this::onGeneratorsChanged)
                .onMessage(Waiting.class, this::onWaiting)
                .onMessage(BroadcastDone.class, this::onBroadcastDone)
                .onMessage(GetStatus.class, this::onGetStatus)
                .onMessage(Pause.class, this::onPause)
                .onMessage(Resume.class, this::onResume)
                .onMessage(Stop.class, this::onStop)
                .onMessage(WriteCheckpoint.class, this::onWriteCheckpoint)
                .onMessage(SetWeighting.class, this::onSetWeighting)
                .onMessage(StreamCompleted.class, m -> finish())
                .onMessage(StreamFailed.class, this::onStreamFailed)
                .build();
    }

    private Behavior<Command> ack(ActorRef<BatchHandled> ackTo) {
        ackTo.tell(new BatchHandled());
        return this;
    }

    /** A batch that will not be trained: ask for the next and re-grant its permit. */
    private Behavior<Command> settle(ActorRef<BatchHandled> ackTo) {
        gate.settled();
        ack(ackTo);
        grantPermits();
        return this;
    }

    private Behavior<Command> onGeneratorsChanged(GeneratorsChanged msg) {
        Set<ActorRef<Generator.Command>> now = msg.listing().getServiceInstances(Generator.KEY);
        Set<ActorRef<Generator.Command>> joined = trainer.markers().generators(generators, now, book.step());
        generators.clear();
        generators.addAll(now);
        if (!joined.isEmpty()) {
            // Newcomers (and everyone, at start) load the current weights before sampling for us;
            // the first permits wait for that initial sync.
            broadcast(latestWeights, gate.isSynced() ? joined : now, WeightBroadcast.Purpose.SYNC);
        }
        return this;
    }

    private Behavior<Command> onTrain(Train msg) {
        RolloutBatch batch = msg.batch();
        if (gate.stopping()) {
            getContext().getLog().info("batch {} not trained: the run is stopping", batch.batchId());
            return settle(msg.ackTo());
        }
        if (book.step() >= settings.totalSteps()) {
            // Permits stop at the run's length, so this is a batch admitted before a restart of the count.
            getContext().getLog().warn("batch {} arrived after the last step; ignored", batch.batchId());
            return settle(msg.ackTo());
        }
        long lag = engine.policyVersion() - batch.policyVersion();
        if (lag < 0 || lag > settings.maxPolicyLag()) {
            book.stale(batch.batchId(), batch.policyVersion());
            getContext().getLog().info("dropped batch {} of version {}: learner at {}, max-policy-lag {}",
                    batch.batchId(), batch.policyVersion(), engine.policyVersion(), settings.maxPolicyLag());
            // A stale batch means some generator missed an update: re-send the current weights
            // and re-admit only after that, or the replacement batch would be stale too.
            gate.settled();
            ack(msg.ackTo());
            broadcast(latestWeights, generators, WeightBroadcast.Purpose.SYNC);
            return this;
        }
        Optional<StepAssembly.Step> ready = assembly.offer(batch, book.step() + 1);
        if (ready.isEmpty()) {
            return settle(msg.ackTo()); // not trained: its permit goes to one more batch for this step
        }
        StepTrainer.Trained trained = trainer.train(batch, ready.get());
        anchors.afterStep();
        ack(msg.ackTo());
        pending.add(trained.event(), trained.result());
        latestWeights = trained.result().weights();
        weighting = trained.result().weightingStrategy();
        if (settings.checkpointEvery() > 0 && book.step() % settings.checkpointEvery() == 0) {
            book.checkpointOrFail();
        }
        broadcast(latestWeights, generators, WeightBroadcast.Purpose.STEP);
        gate.settled();
        grantPermits();
        return this;
    }

    private void broadcast(WeightUpdate update, Set<ActorRef<Generator.Command>> targets,
            WeightBroadcast.Purpose purpose) {
        ActorRef<WeightBroadcast.Finished> replyTo =
                getContext().messageAdapter(WeightBroadcast.Finished.class, BroadcastDone::new);
        getContext().spawnAnonymous(
                WeightBroadcast.create(update, incarnation, purpose, Set.copyOf(targets), settings.broadcastTimeout(), replyTo));
    }

    private Behavior<Command> onBroadcastDone(BroadcastDone msg) {
        WeightBroadcast.Finished done = msg.result();
        if (!done.missed().isEmpty()) {
            getContext().getLog().warn("weights version {} missed by {}", done.version(), done.missed());
        }
        if (done.purpose() == WeightBroadcast.Purpose.SYNC) {
            gate.markSynced();
            grantPermits();
            return this;
        }
        pending.delivered(done);
        for (LearnerEvent e = pending.pollReady(); e != null; e = pending.pollReady()) {
            events.accept(e);
        }
        grantPermits(); // closes the gate once the last step's event is out
        return this;
    }

    private Behavior<Command> onLost(ReportLost msg) {
        getContext().getLog().warn("batch {} lost: {}", msg.batchId(), msg.reason());
        book.lost(msg.batchId(), msg.reason());
        gate.settled();
        grantPermits();
        return this;
    }

    private Behavior<Command> onWaiting(Waiting msg) {
        trainer.markers().waiting(msg.detail(), book.step());
        gate.waitFor(msg.detail());
        grantPermits();
        return this;
    }

    private void grantPermits() {
        gate.grant(book.step(), engine.policyVersion(), !pending.isEmpty());
    }

    private Behavior<Command> onGetStatus(GetStatus msg) {
        msg.replyTo().tell(new Status(book.step(), engine.policyVersion(), book.staleDropped(), book.lost(),
                gate.outstanding(), generators.size(), book.lastCheckpoint(), gate.phase(), weighting, gate.waiting()));
        return this;
    }

    private Behavior<Command> onPause(Pause msg) {
        if (gate.pause()) {
            getContext().getLog().info("paused at step {}", book.step());
            trainer.markers().note(RunMarkers.PAUSED, book.step(), "");
        }
        msg.replyTo().tell(new Steered(gate.phase())); // nothing to grant while paused
        return this;
    }

    private Behavior<Command> onResume(Resume msg) {
        if (gate.resume()) {
            getContext().getLog().info("resumed at step {}", book.step());
            trainer.markers().note(RunMarkers.RESUMED, book.step(), "");
        }
        return steered(msg.replyTo());
    }

    private Behavior<Command> onStop(Stop msg) {
        if (gate.stop()) {
            getContext().getLog().info("stop requested at step {} of {}", book.step(), settings.totalSteps());
        }
        checkpointOnStop |= msg.checkpoint();
        return steered(msg.replyTo());
    }

    /** After a steering command: grant what may now be granted, and answer with the phase. */
    private Behavior<Command> steered(ActorRef<Steered> replyTo) {
        grantPermits();
        replyTo.tell(new Steered(gate.phase()));
        return this;
    }

    private Behavior<Command> onWriteCheckpoint(WriteCheckpoint msg) {
        try {
            Path path = book.checkpoint();
            msg.replyTo().tell(new CheckpointWritten(path, book.step()));
        } catch (IOException | UncheckedIOException e) {
            getContext().getLog().error("requested checkpoint of step {} failed", book.step(), e);
            msg.replyTo().tell(new CheckpointFailed(e.getMessage()));
        }
        return this;
    }

    private Behavior<Command> onSetWeighting(SetWeighting msg) {
        try {
            Map<String, Double> weights = engine.setWeighting(msg.strategy(), msg.initialWeights());
            weighting = msg.strategy();
            trainer.markers().weighting(weighting, weights, book.step());
            getContext().getLog().info("weighting set to {} {} after step {}", weighting, weights, book.step());
            msg.replyTo().tell(new WeightingSet(weighting, weights));
        } catch (IllegalArgumentException e) {
            msg.replyTo().tell(new WeightingRejected(e.getMessage()));
        }
        return this;
    }

    private Behavior<Command> onStreamFailed(StreamFailed msg) {
        getContext().getLog().error("pipeline failed at step {}", book.step(), msg.cause());
        return finish();
    }

    private Behavior<Command> finish() {
        assembly.finish(book.step() + 1);
        if ((settings.checkpointOnShutdown() || checkpointOnStop) && book.step() > 0 && !book.checkpointed()) {
            book.checkpointOrFail();
        }
        onFinished.tell(new Finished(book.step(), engine.policyVersion(), book.staleDropped(), book.lost(),
                book.lastCheckpoint()));
        book.close();
        return Behaviors.stopped();
    }
}
