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
import troupe.core.engine.ReferenceEngine;
import troupe.core.engine.WeightUpdate;
import troupe.core.rollout.RolloutBatch;
import troupe.core.rollout.StageTiming;

/**
 * The reference-KL role: adds the frozen reference policy's log-probs to each batch. The
 * forward pass runs in the handler, so spawn it on a blocking dispatcher; the engine is called
 * one batch at a time. It registers under {@link #KEY}; the pipeline routes to any registered
 * instance, on this node or another.
 */
public final class ReferenceKl extends AbstractBehavior<ReferenceKl.Command> {

    /** Reference-KL actors register here; the pipeline's reference pool follows the listing. */
    public static final ServiceKey<Command> KEY = ServiceKey.create(Command.class, "troupe-reference");

    public sealed interface Command extends TroupeMessage {}

    public record ComputeReference(RolloutBatch batch, ActorRef<ReferenceReply> replyTo) implements Command {}

    /**
     * {@link ComputeReference} for a batch held by the requester's node: fetched over the bulk
     * channel first (how the pipeline asks a reference actor on another node). A failed fetch is
     * a {@link ReferenceFailed}.
     */
    public record ComputeReferenceOffered(long batchId, BulkRef batch, ActorRef<ReferenceReply> replyTo)
            implements Command {}

    /** The batch of a {@link ComputeReferenceOffered} arrived, or its fetch failed. */
    private record Fetched(ComputeReferenceOffered request, RolloutBatch batch, Throwable error) implements Command {}

    public sealed interface ReferenceReply extends TroupeMessage {}

    /**
     * The reference log-probs of batch {@code batchId} (one row per sample, one value per response
     * token) and the stage's timing — not the batch itself, which the requester already holds: a
     * reference node across the cluster sends back a quarter of the bytes.
     */
    public record ReferenceComputed(long batchId, float[][] referenceLogprobs, StageTiming timing)
            implements ReferenceReply {
        /** {@code batch} with these log-probs and the timing added. */
        public RolloutBatch applyTo(RolloutBatch batch) {
            if (batch.batchId() != batchId) {
                throw new IllegalArgumentException("reference log-probs of batch " + batchId + " for batch "
                        + batch.batchId());
            }
            return batch.withReferenceLogprobs(referenceLogprobs).withTiming(timing);
        }
    }

    public record ReferenceFailed(long batchId, String reason) implements ReferenceReply {}

    /**
     * Score later batches with these weights (APO's anchor, {@link ReferenceAnchors}); sent by the
     * learner in this JVM before it admits the next batch, so the mailbox orders it first.
     */
    public record LoadReference(WeightUpdate update) implements Command {}

    /**
     * {@link LoadReference} from another node: a handle on its bulk channel. Batches that arrive
     * while the weights are fetched wait for them.
     */
    public record FetchReference(long version, long checksum, BulkRef weights) implements Command {}

    private record ReferenceFetched(FetchReference request, WeightUpdate update, Throwable error) implements Command {}

    private final ReferenceEngine engine;
    private final String node;
    /** Requests that arrived while new reference weights were being fetched, in arrival order. */
    private final java.util.ArrayDeque<Command> held = new java.util.ArrayDeque<>();
    private boolean fetching;

    private ReferenceKl(ActorContext<Command> ctx, ReferenceEngine engine) {
        super(ctx);
        this.engine = engine;
        this.node = ctx.getSystem().address().toString();
    }

    public static Behavior<Command> create(ReferenceEngine engine) {
        return Behaviors.setup(ctx -> {
            ctx.getSystem().receptionist().tell(Receptionist.register(KEY, ctx.getSelf()));
            return new ReferenceKl(ctx, engine);
        });
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(ComputeReference.class, m -> fetching ? hold(m) : onCompute(m))
                .onMessage(ComputeReferenceOffered.class, m -> fetching ? hold(m) : onOffered(m))
                .onMessage(Fetched.class, m -> fetching ? hold(m) : onFetched(m))
                .onMessage(LoadReference.class, this::onLoad)
                .onMessage(FetchReference.class, this::onFetchReference)
                .onMessage(ReferenceFetched.class, this::onReferenceFetched)
                .build();
    }

    private Behavior<Command> hold(Command request) {
        held.add(request);
        return this;
    }

    private Behavior<Command> onLoad(LoadReference msg) {
        try {
            engine.loadWeights(msg.update());
            getContext().getLog().info("reference now scores with weights version {}", msg.update().version());
        } catch (RuntimeException e) {
            // a reference that cannot follow the anchor would train against the wrong policy: stop the role
            throw new IllegalStateException("reference could not load weights version " + msg.update().version(), e);
        }
        return this;
    }

    private Behavior<Command> onFetchReference(FetchReference msg) {
        fetching = true;
        getContext().pipeToSelf(BulkChannel.get(getContext().getSystem()).fetch(msg.weights(), WeightUpdate.class),
                (update, error) -> new ReferenceFetched(msg, update, error));
        return this;
    }

    private Behavior<Command> onReferenceFetched(ReferenceFetched msg) {
        WeightUpdate u = msg.update();
        if (u == null || u.version() != msg.request().version() || u.checksum() != msg.request().checksum()) {
            throw new IllegalStateException("reference weights version " + msg.request().version() + " not fetched: "
                    + (u == null ? Generator.describe(msg.error()) : "the handle held version " + u.version()));
        }
        onLoad(new LoadReference(u));
        fetching = false;
        while (!held.isEmpty() && !fetching) {
            Command c = held.poll();
            if (c instanceof ComputeReference r) {
                onCompute(r);
            } else if (c instanceof ComputeReferenceOffered o) {
                onOffered(o);
            } else if (c instanceof Fetched f) {
                onFetched(f);
            }
        }
        return this;
    }

    /**
     * The request as it should travel to {@code target}: a reference actor on another node gets a
     * handle to the batch on this node's bulk channel, one in this JVM the batch itself.
     */
    public static Command forTarget(Command request, ActorRef<Command> target, BulkChannel bulk) {
        if (request instanceof ComputeReference c && bulk.offersTo(target)) {
            try {
                return new ComputeReferenceOffered(c.batch().batchId(), bulk.offer(c.batch()), c.replyTo());
            } catch (java.io.UncheckedIOException e) {
                return request; // no bulk server here: the batch goes over Artery
            }
        }
        return request;
    }

    private Behavior<Command> onOffered(ComputeReferenceOffered msg) {
        getContext().pipeToSelf(BulkChannel.get(getContext().getSystem()).fetch(msg.batch(), RolloutBatch.class),
                (batch, error) -> new Fetched(msg, batch, error));
        return this;
    }

    private Behavior<Command> onFetched(Fetched msg) {
        ComputeReferenceOffered r = msg.request();
        if (msg.batch() == null || msg.batch().batchId() != r.batchId()) {
            String why = msg.batch() == null ? "fetch failed: " + Generator.describe(msg.error())
                    : "bulk handle held batch " + msg.batch().batchId();
            r.replyTo().tell(new ReferenceFailed(r.batchId(), why));
            return this;
        }
        return onCompute(new ComputeReference(msg.batch(), r.replyTo()));
    }

    private Behavior<Command> onCompute(ComputeReference msg) {
        RolloutBatch batch = msg.batch();
        long start = System.nanoTime();
        try {
            float[][] logprobs = engine.referenceLogprobs(batch);
            batch.withReferenceLogprobs(logprobs); // checks one row per sample and one value per response token
            msg.replyTo().tell(new ReferenceComputed(batch.batchId(), logprobs,
                    new StageTiming("reference", (System.nanoTime() - start) / 1e6, node)));
        } catch (RuntimeException e) {
            getContext().getLog().warn("reference log-probs of batch {} failed", batch.batchId(), e);
            msg.replyTo().tell(new ReferenceFailed(batch.batchId(), Generator.describe(e)));
        }
        return this;
    }
}
