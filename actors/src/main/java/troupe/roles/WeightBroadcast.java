package troupe.roles;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import troupe.cluster.bulk.BulkChannel;
import troupe.cluster.bulk.BulkRef;
import troupe.core.engine.WeightUpdate;

/**
 * Short-lived child of the learner that delivers one {@link WeightUpdate} to a set of generators
 * and reports once every one has answered or timed out (fan-in with a deadline, as in Pekko's
 * StatsAggregator sample). A step's report times the delivery for the step's event but does not
 * gate admission: a generator holds a request until it has the version the request names. A sync
 * report (initial weights, or the re-send after a stale batch) is what lets permits flow again.
 *
 * <p>To another node the update travels over the bulk channel: the generator gets a
 * {@link Generator.FetchWeights} with a handle and pulls the whole snapshot from this node's bulk
 * server (once per generator; they fetch in parallel). With {@code troupe.bulk.enabled = off} it
 * travels as one {@link Generator.LoadWeightChunk} per chunk, at
 * most {@link #CHUNKS_IN_FLIGHT} unacknowledged per generator: a snapshot may be hundreds of MB,
 * and a window keeps Artery's outbound queue (and the receiver's mailbox) bounded while the pipe
 * stays full. Each generator verifies the checksum over the reassembled chunks before loading. A
 * generator in this JVM gets the whole update in one {@link Generator.ApplyWeights} instead — a
 * reference to the same immutable chunks, nothing is copied — and verifies the same checksum
 * before loading it in one handler.
 */
public final class WeightBroadcast extends AbstractBehavior<WeightBroadcast.Command> {

    /**
     * Chunks sent ahead of acknowledgements, per generator. With 1 MiB chunks, 8 in flight cover
     * the bandwidth-delay product of any LAN and stay far below Artery's outbound queue (3072).
     */
    static final int CHUNKS_IN_FLIGHT = 8;

    public sealed interface Command {}

    /** Why the weights are sent: initial sync of (new) generators, or the result of a step. */
    public enum Purpose {
        SYNC,
        STEP
    }

    private record Answered(ActorRef<Generator.Command> generator, Generator.WeightsReply reply, Throwable error)
            implements Command {}

    /** The generator listing changed: a target that left (its node died) is missed at once. */
    private record GeneratorsChanged(Receptionist.Listing listing) implements Command {}

    /**
     * @param version the version broadcast
     * @param millis from start until the last answer
     * @param applied generators that now hold the version
     * @param missed generators that rejected it or did not answer in time, with the reason
     */
    public record Finished(long version, Purpose purpose, double millis, int applied, List<String> missed) {}

    private final WeightUpdate update;
    private final long incarnation;
    private final Purpose purpose;
    private final Duration timeout;
    private final long startNanos = System.nanoTime();
    private final ActorRef<Finished> replyTo;
    /** Next chunk index to send, per generator still receiving. */
    private final Map<ActorRef<Generator.Command>, Integer> nextChunk = new HashMap<>();
    private int applied;
    private final List<String> missed = new ArrayList<>();

    private WeightBroadcast(ActorContext<Command> ctx, WeightUpdate update, long incarnation, Purpose purpose,
            Duration timeout, ActorRef<Finished> replyTo) {
        super(ctx);
        this.update = update;
        this.incarnation = incarnation;
        this.purpose = purpose;
        this.timeout = timeout;
        this.replyTo = replyTo;
    }

    /** A broadcast under the version rule alone (no learner incarnation, as in a benchmark). */
    public static Behavior<Command> create(WeightUpdate update, Purpose purpose,
            Collection<ActorRef<Generator.Command>> generators, Duration timeout, ActorRef<Finished> replyTo) {
        return create(update, Generator.SAME_INCARNATION, purpose, generators, timeout, replyTo);
    }

    /** @param incarnation the learner's incarnation ({@link Generator.ApplyWeights}) */
    public static Behavior<Command> create(WeightUpdate update, long incarnation, Purpose purpose,
            Collection<ActorRef<Generator.Command>> generators, Duration timeout, ActorRef<Finished> replyTo) {
        return Behaviors.setup(ctx -> {
            if (generators.isEmpty()) {
                replyTo.tell(new Finished(update.version(), purpose, 0, 0, List.of()));
                return Behaviors.stopped();
            }
            WeightBroadcast b = new WeightBroadcast(ctx, update, incarnation, purpose, timeout, replyTo);
            ctx.getSystem().receptionist().tell(Receptionist.subscribe(Generator.KEY,
                    ctx.messageAdapter(Receptionist.Listing.class, GeneratorsChanged::new)));
            for (ActorRef<Generator.Command> g : generators) {
                b.nextChunk.put(g, 0);
                for (int i = 0; i < Math.min(CHUNKS_IN_FLIGHT, Math.max(1, b.chunkCount())); i++) {
                    b.sendNext(g);
                }
            }
            return b;
        });
    }

    private int chunkCount() {
        return update.chunks().size();
    }

    private void sendNext(ActorRef<Generator.Command> g) {
        int index = nextChunk.get(g);
        if (index == 0 && chunkCount() > 0 && BulkChannel.get(getContext().getSystem()).offersTo(g)) {
            try {
                BulkRef ref = BulkChannel.get(getContext().getSystem()).offer(update);
                nextChunk.put(g, chunkCount()); // one fetch carries every chunk
                getContext().ask(Generator.WeightsReply.class, g, timeout, r -> new Generator.FetchWeights(
                        update.version(), update.checksum(), ref, incarnation, r), (reply, e) -> new Answered(g, reply, e));
                return;
            } catch (java.io.UncheckedIOException e) {
                getContext().getLog().warn("weights version {} go over Artery: {}", update.version(), e.getMessage());
            }
        }
        boolean whole = chunkCount() == 0 || g.path().address().hasLocalScope();
        if (whole && index == 0) {
            nextChunk.put(g, 1); // an empty payload has no chunk to carry it; a local generator needs none
            getContext().ask(Generator.WeightsReply.class, g, timeout, ref -> new Generator.ApplyWeights(update, incarnation, ref),
                    (reply, error) -> new Answered(g, reply, error));
            return;
        }
        if (whole || index >= chunkCount()) {
            return;
        }
        nextChunk.put(g, index + 1);
        // Each chunk has its own deadline: a generator that died mid-transfer is given up after one.
        getContext().ask(Generator.WeightsReply.class, g, timeout,
                ref -> new Generator.LoadWeightChunk(update.version(), update.checksum(), index, chunkCount(),
                        update.chunks().get(index), incarnation, ref),
                (reply, error) -> new Answered(g, reply, error));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Answered.class, this::onAnswered)
                .onMessage(GeneratorsChanged.class, this::onGeneratorsChanged)
                .build();
    }

    private Behavior<Command> onGeneratorsChanged(GeneratorsChanged msg) {
        var live = msg.listing().getServiceInstances(Generator.KEY);
        for (ActorRef<Generator.Command> g : java.util.List.copyOf(nextChunk.keySet())) {
            if (!live.contains(g)) {
                missed.add(g.path().name() + ": left the cluster");
                nextChunk.remove(g);
            }
        }
        return nextChunk.isEmpty() ? finish() : this;
    }

    private Behavior<Command> onAnswered(Answered a) {
        ActorRef<Generator.Command> g = a.generator();
        if (!nextChunk.containsKey(g)) {
            return this; // already settled; late answers to its other chunks
        }
        if (a.reply() instanceof Generator.ChunkReceived) {
            sendNext(g);
            return this;
        }
        if (a.reply() instanceof Generator.WeightsApplied ok && ok.version() >= update.version()) {
            applied++;
        } else if (a.reply() instanceof Generator.WeightsRejected no) {
            missed.add(a.generator().path().name() + ": " + no.reason());
        } else {
            missed.add(a.generator().path().name() + ": " + (a.error() == null ? "answered an older version"
                    : Generator.describe(a.error())));
        }
        nextChunk.remove(g);
        return nextChunk.isEmpty() ? finish() : this;
    }

    private Behavior<Command> finish() {
        replyTo.tell(new Finished(update.version(), purpose, (System.nanoTime() - startNanos) / 1e6, applied,
                List.copyOf(missed)));
        return Behaviors.stopped();
    }
}
