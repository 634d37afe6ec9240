package troupe.roles;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import troupe.cluster.bulk.BulkChannel;
import troupe.cluster.bulk.BulkRef;
import troupe.cluster.serialization.TroupeMessage;
import troupe.core.engine.RolloutEngine;
import troupe.core.engine.ReplicaWeights;
import troupe.core.engine.RolloutRequest;
import troupe.core.engine.WeightUpdate;
import troupe.core.rollout.RolloutBatch;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The generator role: one policy replica ({@link RolloutEngine}) that samples rollout batches.
 *
 * <p>Generation runs inside the message handler, so the actor must be spawned on a blocking
 * dispatcher. That is also what makes weight updates safe: a mailbox is processed one message
 * at a time, so an {@link ApplyWeights} that arrives while a batch is being sampled waits until
 * the batch is done — every batch is sampled by exactly one version, the one it reports.
 *
 * <p>Across nodes weights arrive as a {@link FetchWeights} handle, fetched whole over the bulk
 * channel, or (bulk channel off) as {@link LoadWeightChunk}s staged until all are in. Either way
 * the whole is verified against its checksum and only then applied in one handler — so a batch is
 * never sampled from a half-received snapshot. Batches for a requester on another node go back
 * the same way: {@link BatchOffered}, a handle to the batch on this node's bulk channel.
 *
 * <p>A {@link Generate} may name the version it needs ({@code minVersion}, the learner's version
 * when it granted the batch's permit): the learner admits the next batch as soon as it has trained,
 * while its weights are still on the way, and the generator holds the request until it has loaded
 * that version — or until an update of that version was handled and failed (rejected, or the engine
 * kept its weights), or {@code maxWeightWait} passed; then it samples with what it has and the
 * learner drops the batch as stale. Only requests wait; weight chunks keep flowing.
 *
 * <p>Which update replaces the loaded weights is {@link ReplicaWeights}' rule: newer versions of
 * the same learner incarnation, and any version of another (a learner restarted with
 * {@code --resume} goes back in versions). The loaded version lives in the engine, not here, so a
 * restarted actor keeps it.
 */
public final class Generator extends AbstractBehavior<Generator.Command> {

    /** Generators register here; the generator pool and the learner's weight broadcast follow the listing. */
    public static final ServiceKey<Command> KEY = ServiceKey.create(Command.class, "troupe-generator");

    public sealed interface Command extends TroupeMessage {}

    /** Sample one batch once weights of at least {@code minVersion} are loaded (see the class comment). */
    public record Generate(RolloutRequest request, long minVersion, ActorRef<GenerateReply> replyTo)
            implements Command {
        /** Sample with the weights loaded now. */
        public Generate(RolloutRequest request, ActorRef<GenerateReply> replyTo) {
            this(request, 0, replyTo);
        }
    }

    /**
     * Load newer weights before the next batch; older or equal versions of the same learner
     * incarnation are acknowledged and ignored.
     *
     * @param incarnation the sending learner's incarnation ({@link #SAME_INCARNATION}: the one loaded)
     */
    public record ApplyWeights(WeightUpdate update, long incarnation, ActorRef<WeightsReply> replyTo)
            implements Command {
        public ApplyWeights(WeightUpdate update, ActorRef<WeightsReply> replyTo) {
            this(update, SAME_INCARNATION, replyTo);
        }
    }

    /**
     * Chunk {@code index} of {@code count} of the weights at {@code version} (checksum over all
     * chunks, as in {@link WeightUpdate}). Answered with {@link ChunkReceived}, or, for the chunk
     * that completes the snapshot (or any chunk of a version not newer than the loaded one), with
     * {@link WeightsApplied} / {@link WeightsRejected}. {@code incarnation} as in {@link ApplyWeights}.
     */
    public record LoadWeightChunk(long version, long checksum, int index, int count, byte[] data, long incarnation,
            ActorRef<WeightsReply> replyTo) implements Command {
        public LoadWeightChunk(long version, long checksum, int index, int count, byte[] data,
                ActorRef<WeightsReply> replyTo) {
            this(version, checksum, index, count, data, SAME_INCARNATION, replyTo);
        }
    }

    /**
     * The weights at {@code version}, held by the learner's node for one fetch over the bulk channel
     * (how a generator on another node gets them when {@code troupe.bulk.enabled}). The generator
     * fetches without blocking its mailbox, checks version and checksum, then loads the whole in one
     * handler. Answered like {@link ApplyWeights}; a failed fetch is a {@link WeightsRejected}.
     */
    public record FetchWeights(long version, long checksum, BulkRef weights, long incarnation,
            ActorRef<WeightsReply> replyTo) implements Command {}

    /** An incarnation that stands for "the learner whose weights are loaded": the version rule alone applies. */
    public static final long SAME_INCARNATION = ReplicaWeights.SAME_INCARNATION;

    public sealed interface GenerateReply extends TroupeMessage {}

    public record BatchGenerated(RolloutBatch batch) implements GenerateReply {}

    /**
     * The batch, held by the generator's node for one fetch over the bulk channel: how a requester
     * on another node is answered ({@link BulkChannel}).
     */
    public record BatchOffered(long batchId, BulkRef batch) implements GenerateReply {}

    public record GenerationFailed(long batchId, String reason) implements GenerateReply {}

    public sealed interface WeightsReply extends TroupeMessage {
        /** The version the reply is about. */
        long version();
    }

    /** The generator now holds {@code version} (or a newer one). */
    public record WeightsApplied(long version) implements WeightsReply {}

    /** Chunk {@code index} of {@code version} is staged; send the next. */
    public record ChunkReceived(long version, int index) implements WeightsReply {}

    /** The update was not loaded; the generator keeps {@code loadedVersion}. */
    public record WeightsRejected(long version, long loadedVersion, String reason) implements WeightsReply {}

    /** A {@link FetchWeights} came back: the update, or why not. */
    private record WeightsFetched(FetchWeights request, WeightUpdate update, Throwable error) implements Command {}

    /** A waiting request's deadline passed: sample it with the weights loaded now. */
    private record WaitOver(long batchId) implements Command {}

    /** How long a request waits for its version when {@link #create(RolloutEngine)} is used. */
    static final Duration DEFAULT_WEIGHT_WAIT = Duration.ofMinutes(2);

    private final RolloutEngine engine;
    /** The loaded weights and the rules for replacing them. */
    private final ReplicaWeights weights;
    private final TimerScheduler<Command> timers;
    private final Duration maxWeightWait;
    /** Answer requesters on other nodes with {@link BatchOffered} (when {@code troupe.bulk.enabled}). */
    private final boolean viaBulk;
    /** Requests waiting for their version, in arrival order. */
    private final ArrayDeque<Generate> waiting = new ArrayDeque<>();
    /** Chunks of the newest version being received; replaced when a newer version starts. */
    private final ChunkStaging staging = new ChunkStaging();

    private Generator(ActorContext<Command> context, RolloutEngine engine, TimerScheduler<Command> timers,
            Duration maxWeightWait, boolean viaBulk) {
        super(context);
        this.engine = engine;
        this.weights = new ReplicaWeights(engine);
        this.timers = timers;
        this.maxWeightWait = maxWeightWait;
        this.viaBulk = viaBulk;
    }

    public static Behavior<Command> create(RolloutEngine engine) {
        return create(engine, DEFAULT_WEIGHT_WAIT);
    }

    /** @param maxWeightWait longest a request waits for its version (the weight broadcast's timeout) */
    public static Behavior<Command> create(RolloutEngine engine, Duration maxWeightWait) {
        return create(engine, maxWeightWait, true);
    }

    /** @param viaBulk false: answer every requester with the batch itself, over Artery (the transfer bench's baseline) */
    public static Behavior<Command> create(RolloutEngine engine, Duration maxWeightWait, boolean viaBulk) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            ctx.getSystem().receptionist().tell(Receptionist.register(KEY, ctx.getSelf()));
            return new Generator(ctx, engine, timers, maxWeightWait, viaBulk);
        }));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Generate.class, this::onGenerate)
                .onMessage(ApplyWeights.class, this::onApplyWeights)
                .onMessage(LoadWeightChunk.class, this::onChunk)
                .onMessage(FetchWeights.class, this::onFetchWeights)
                .onMessage(WeightsFetched.class, this::onWeightsFetched)
                .onMessage(WaitOver.class, this::onWaitOver)
                .build();
    }

    private Behavior<Command> onGenerate(Generate msg) {
        if (mayStart(msg)) {
            generate(msg);
        } else {
            waiting.add(msg);
            timers.startSingleTimer(msg.request().batchId(), new WaitOver(msg.request().batchId()), maxWeightWait);
        }
        return this;
    }

    private boolean mayStart(Generate msg) {
        return weights.ready(msg.minVersion());
    }

    private Behavior<Command> onWaitOver(WaitOver msg) {
        for (Generate g : List.copyOf(waiting)) {
            if (g.request().batchId() == msg.batchId()) {
                getContext().getLog().warn("batch {} waited {} for weights version {}; sampling with version {}",
                        msg.batchId(), maxWeightWait, g.minVersion(), weights.version());
                waiting.remove(g);
                generate(g);
            }
        }
        return this;
    }

    /** After an update was handled: start the waiting requests it unblocked, in arrival order. */
    private void startWaiting() {
        while (!waiting.isEmpty() && mayStart(waiting.peek())) {
            Generate g = waiting.poll();
            timers.cancel(g.request().batchId());
            generate(g);
        }
    }

    private void generate(Generate msg) {
        RolloutRequest request = msg.request();
        long version = weights.version();
        RolloutBatch batch;
        try {
            batch = engine.generate(request);
        } catch (RuntimeException e) {
            getContext().getLog().warn("batch {} failed to generate", request.batchId(), e);
            msg.replyTo().tell(new GenerationFailed(request.batchId(), describe(e)));
            return;
        }
        msg.replyTo().tell(request.mismatch(batch, version)
                .<GenerateReply>map(problem -> new GenerationFailed(request.batchId(), "engine returned " + problem))
                .orElseGet(() -> reply(batch, msg.replyTo())));
    }

    /** The batch itself, or for a requester on another node a handle to it on the bulk channel. */
    private GenerateReply reply(RolloutBatch batch, ActorRef<GenerateReply> to) {
        BulkChannel bulk = BulkChannel.get(getContext().getSystem());
        if (!viaBulk || !bulk.offersTo(to)) {
            return new BatchGenerated(batch);
        }
        try {
            return new BatchOffered(batch.batchId(), bulk.offer(batch));
        } catch (java.io.UncheckedIOException e) {
            getContext().getLog().warn("batch {} goes over Artery: {}", batch.batchId(), e.getMessage());
            return new BatchGenerated(batch);
        }
    }

    private Behavior<Command> onApplyWeights(ApplyWeights msg) {
        msg.replyTo().tell(apply(msg.update(), msg.incarnation()));
        startWaiting();
        return this;
    }

    private Behavior<Command> onFetchWeights(FetchWeights msg) {
        getContext().pipeToSelf(BulkChannel.get(getContext().getSystem()).fetch(msg.weights(), WeightUpdate.class),
                (update, error) -> new WeightsFetched(msg, update, error));
        return this;
    }

    private Behavior<Command> onWeightsFetched(WeightsFetched msg) {
        FetchWeights f = msg.request();
        WeightUpdate u = msg.update();
        if (u == null || u.version() != f.version() || u.checksum() != f.checksum()) {
            String why = u == null ? "fetch failed: " + describe(msg.error())
                    : "bulk handle held version " + u.version() + " checksum " + u.checksum();
            f.replyTo().tell(new WeightsRejected(f.version(), weights.version(), why));
            return this;
        }
        f.replyTo().tell(apply(u, f.incarnation()));
        startWaiting();
        return this;
    }

    private Behavior<Command> onChunk(LoadWeightChunk msg) {
        if (!weights.replaces(msg.version(), msg.incarnation())) {
            msg.replyTo().tell(new WeightsApplied(weights.version())); // the sender stops sending this version
            return this;
        }
        Optional<WeightUpdate> whole = staging.add(msg);
        if (whole.isEmpty()) {
            msg.replyTo().tell(new ChunkReceived(msg.version(), msg.index()));
            return this;
        }
        WeightUpdate update = whole.get();
        msg.replyTo().tell(apply(update, msg.incarnation()));
        startWaiting();
        return this;
    }

    /** Loads a complete update if it replaces the loaded one and is intact ({@link ReplicaWeights}); the reply. */
    private WeightsReply apply(WeightUpdate update, long incarnation) {
        ReplicaWeights.Outcome outcome = weights.apply(update, incarnation);
        if (outcome instanceof ReplicaWeights.Refused r) {
            r.cause().ifPresent(e -> getContext().getLog().warn("weights version {} failed to load", r.version(), e));
            return new WeightsRejected(r.version(), r.loadedVersion(), r.reason());
        }
        ReplicaWeights.Held held = (ReplicaWeights.Held) outcome;
        held.replaced().ifPresent(was -> getContext().getLog().info(
                "weights of a new learner incarnation loaded: version {} (was {})", update.version(), was));
        return new WeightsApplied(held.version());
    }

    static String describe(Throwable e) {
        return ReplicaWeights.describe(e);
    }
}
