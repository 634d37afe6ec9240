package troupe.roles;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import troupe.cluster.serialization.TroupeMessage;
import troupe.core.engine.RolloutEngine;
import troupe.core.engine.RolloutRequest;
import troupe.core.engine.WeightUpdate;
import troupe.core.rollout.RolloutBatch;
import java.util.List;

/**
 * The generator role: one policy replica ({@link RolloutEngine}) that samples rollout batches.
 *
 * <p>Generation runs inside the message handler, so the actor must be spawned on a blocking
 * dispatcher. That is also what makes weight updates safe: a mailbox is processed one message
 * at a time, so an {@link ApplyWeights} that arrives while a batch is being sampled waits until
 * the batch is done — every batch is sampled by exactly one version, the one it reports.
 *
 * <p>Across nodes weights arrive as {@link LoadWeightChunk}s (a snapshot can be far larger than
 * one Artery frame). Chunks are staged, the whole is verified against its checksum, and only
 * then applied in one handler — so a batch is never sampled from a half-received snapshot.
 *
 * <p>The loaded version lives in the engine, not here, so a restarted actor keeps it. Versions
 * only grow within one learner incarnation; a snapshot from another incarnation (a learner
 * restarted with {@code --resume}, whose checkpoint may be older than what this generator holds)
 * is loaded whatever its version, so the generators follow the new learner back in time.
 */
public final class Generator extends AbstractBehavior<Generator.Command> {

    /** Generators register here; the generator pool and the learner's weight broadcast follow the listing. */
    public static final ServiceKey<Command> KEY = ServiceKey.create(Command.class, "troupe-generator");

    public sealed interface Command extends TroupeMessage {}

    /** Sample one batch with the weights loaded now. */
    public record Generate(RolloutRequest request, ActorRef<GenerateReply> replyTo) implements Command {}

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

    /** An incarnation that stands for "the learner whose weights are loaded": the version rule alone applies. */
    public static final long SAME_INCARNATION = 0;

    public sealed interface GenerateReply extends TroupeMessage {}

    public record BatchGenerated(RolloutBatch batch) implements GenerateReply {}

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

    private final RolloutEngine engine;
    /** Incarnation of the learner whose weights are loaded; unknown after a restart of this actor. */
    private long loadedIncarnation = SAME_INCARNATION;
    /** Chunks of the newest version being received; replaced when a newer version starts. */
    private byte[][] staged;
    private long stagedIncarnation;
    private long stagedVersion = -1;
    private int stagedCount;
    private int stagedReceived;

    private Generator(ActorContext<Command> context, RolloutEngine engine) {
        super(context);
        this.engine = engine;
    }

    public static Behavior<Command> create(RolloutEngine engine) {
        return Behaviors.setup(ctx -> {
            ctx.getSystem().receptionist().tell(Receptionist.register(KEY, ctx.getSelf()));
            return new Generator(ctx, engine);
        });
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Generate.class, this::onGenerate)
                .onMessage(ApplyWeights.class, this::onApplyWeights)
                .onMessage(LoadWeightChunk.class, this::onChunk)
                .build();
    }

    private Behavior<Command> onGenerate(Generate msg) {
        RolloutRequest request = msg.request();
        long version = engine.policyVersion();
        RolloutBatch batch;
        try {
            batch = engine.generate(request);
        } catch (RuntimeException e) {
            getContext().getLog().warn("batch {} failed to generate", request.batchId(), e);
            msg.replyTo().tell(new GenerationFailed(request.batchId(), describe(e)));
            return this;
        }
        // A batch that does not match its request would corrupt groups or the lag check downstream.
        String problem = batch.size() != request.sampleCount()
                ? batch.size() + " samples for " + request.sampleCount() + " requested"
                : batch.batchId() != request.batchId() ? "batch id " + batch.batchId() + " for " + request.batchId()
                : batch.policyVersion() != version ? "policy version " + batch.policyVersion() + " but " + version
                        + " is loaded"
                : null;
        msg.replyTo().tell(problem == null ? new BatchGenerated(batch)
                : new GenerationFailed(request.batchId(), "engine returned " + problem));
        return this;
    }

    private Behavior<Command> onApplyWeights(ApplyWeights msg) {
        msg.replyTo().tell(apply(msg.update(), msg.incarnation()));
        return this;
    }

    /** Whether weights of {@code version} from learner {@code incarnation} would replace the loaded ones. */
    private boolean replaces(long version, long incarnation) {
        boolean otherLearner = incarnation != SAME_INCARNATION && incarnation != loadedIncarnation;
        return otherLearner || version > engine.policyVersion();
    }

    private Behavior<Command> onChunk(LoadWeightChunk msg) {
        if (!replaces(msg.version(), msg.incarnation())) {
            msg.replyTo().tell(new WeightsApplied(engine.policyVersion())); // the sender stops sending this version
            return this;
        }
        if (msg.version() != stagedVersion || stagedCount != msg.count() || msg.incarnation() != stagedIncarnation) {
            // A newer version supersedes a half-received older one; its chunks are dropped.
            staged = new byte[msg.count()][];
            stagedIncarnation = msg.incarnation();
            stagedVersion = msg.version();
            stagedCount = msg.count();
            stagedReceived = 0;
        }
        if (staged[msg.index()] == null) {
            stagedReceived++; // a re-sent chunk is stored again but counted once
        }
        staged[msg.index()] = msg.data();
        if (stagedReceived < stagedCount) {
            msg.replyTo().tell(new ChunkReceived(msg.version(), msg.index()));
            return this;
        }
        WeightUpdate update = new WeightUpdate(msg.version(), List.of(staged), msg.checksum());
        staged = null;
        stagedVersion = -1;
        msg.replyTo().tell(apply(update, msg.incarnation()));
        return this;
    }

    /** Loads a complete update if it replaces the loaded one and is intact; the engine keeps its weights otherwise. */
    private WeightsReply apply(WeightUpdate update, long incarnation) {
        long loaded = engine.policyVersion();
        if (!replaces(update.version(), incarnation)) {
            return new WeightsApplied(loaded);
        }
        if (!update.intact()) {
            return new WeightsRejected(update.version(), loaded, "checksum mismatch");
        }
        try {
            engine.applyWeights(update);
        } catch (RuntimeException e) {
            getContext().getLog().warn("weights version {} failed to load", update.version(), e);
            return new WeightsRejected(update.version(), engine.policyVersion(), describe(e));
        }
        if (incarnation != SAME_INCARNATION && incarnation != loadedIncarnation) {
            if (loadedIncarnation != SAME_INCARNATION) {
                getContext().getLog().info("weights of a new learner incarnation loaded: version {} (was {})",
                        update.version(), loaded);
            }
            loadedIncarnation = incarnation;
        }
        return new WeightsApplied(engine.policyVersion());
    }

    static String describe(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
