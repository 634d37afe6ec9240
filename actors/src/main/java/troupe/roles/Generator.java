package troupe.roles;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import troupe.core.engine.RolloutEngine;
import troupe.core.engine.RolloutRequest;
import troupe.core.engine.WeightUpdate;
import troupe.core.rollout.RolloutBatch;

/**
 * The generator role: one policy replica ({@link RolloutEngine}) that samples rollout batches.
 *
 * <p>Generation runs inside the message handler, so the actor must be spawned on a blocking
 * dispatcher. That is also what makes weight updates safe: a mailbox is processed one message
 * at a time, so an {@link ApplyWeights} that arrives while a batch is being sampled waits until
 * the batch is done — every batch is sampled by exactly one version, the one it reports.
 *
 * <p>The loaded version lives in the engine, not here, so a restarted actor keeps it.
 */
public final class Generator extends AbstractBehavior<Generator.Command> {

    /** Generators register here; the generator pool and the learner's weight broadcast follow the listing. */
    public static final ServiceKey<Command> KEY = ServiceKey.create(Command.class, "troupe-generator");

    public sealed interface Command {}

    /** Sample one batch with the weights loaded now. */
    public record Generate(RolloutRequest request, ActorRef<GenerateReply> replyTo) implements Command {}

    /** Load newer weights before the next batch; older or equal versions are acknowledged and ignored. */
    public record ApplyWeights(WeightUpdate update, ActorRef<WeightsReply> replyTo) implements Command {}

    public sealed interface GenerateReply {}

    public record BatchGenerated(RolloutBatch batch) implements GenerateReply {}

    public record GenerationFailed(long batchId, String reason) implements GenerateReply {}

    public sealed interface WeightsReply {
        /** The version the reply is about. */
        long version();
    }

    /** The generator now holds {@code version} (or a newer one). */
    public record WeightsApplied(long version) implements WeightsReply {}

    /** The update was not loaded; the generator keeps {@code loadedVersion}. */
    public record WeightsRejected(long version, long loadedVersion, String reason) implements WeightsReply {}

    private final RolloutEngine engine;

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
        WeightUpdate update = msg.update();
        long loaded = engine.policyVersion();
        if (update.version() <= loaded) {
            msg.replyTo().tell(new WeightsApplied(loaded));
            return this;
        }
        if (!update.intact()) {
            msg.replyTo().tell(new WeightsRejected(update.version(), loaded, "checksum mismatch"));
            return this;
        }
        try {
            engine.applyWeights(update);
        } catch (RuntimeException e) {
            getContext().getLog().warn("weights version {} failed to load", update.version(), e);
            msg.replyTo().tell(new WeightsRejected(update.version(), engine.policyVersion(), describe(e)));
            return this;
        }
        msg.replyTo().tell(new WeightsApplied(engine.policyVersion()));
        return this;
    }

    static String describe(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
