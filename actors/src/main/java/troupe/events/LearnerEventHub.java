package troupe.events;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.BroadcastHub;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import troupe.proto.v1.LearnerEvent;

/**
 * The in-process broadcast of learner events: the learner publishes, any number of subscribers
 * (metrics log, gRPC Watch, HTTP SSE) read. Publishing never blocks: the hub always has a fast
 * drain attached and every subscriber conflates once its own buffer is full, so a slow subscriber
 * loses events — counted in its events' {@code missed_events} — instead of stalling the learner.
 *
 * <p>A plain object, not an actor: it lives on the learner's node and its {@link #publish} is
 * thread-safe, so the learner can be handed it as a {@code Consumer<LearnerEvent>}.
 */
public final class LearnerEventHub implements Consumer<LearnerEvent> {
    private final BoundedSourceQueue<LearnerEvent> queue;
    private final Source<LearnerEvent, NotUsed> hub;
    private final int subscriberBuffer;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    private LearnerEventHub(BoundedSourceQueue<LearnerEvent> queue, Source<LearnerEvent, NotUsed> hub,
            int subscriberBuffer) {
        this.queue = queue;
        this.hub = hub;
        this.subscriberBuffer = subscriberBuffer;
    }

    /**
     * @param hubBuffer events held by the hub itself, a power of two
     * @param subscriberBuffer events held per subscriber before it starts missing events
     */
    public static LearnerEventHub start(ActorSystem<?> system, int hubBuffer, int subscriberBuffer) {
        Pair<BoundedSourceQueue<LearnerEvent>, Source<LearnerEvent, NotUsed>> mat = Source.<LearnerEvent>queue(hubBuffer)
                .toMat(BroadcastHub.of(LearnerEvent.class, hubBuffer), Keep.both())
                .run(system);
        // Without a consumer a BroadcastHub holds elements back; the drain keeps it flowing
        // before (and between) real subscribers.
        mat.second().runWith(Sink.ignore(), system);
        return new LearnerEventHub(mat.first(), mat.second(), subscriberBuffer);
    }

    /** Publishes one event; never blocks. An event the hub cannot take is dropped and counted. */
    public void publish(LearnerEvent event) {
        published.incrementAndGet();
        if (queue.offer(event) != QueueOfferResult.enqueued()) {
            dropped.incrementAndGet();
        }
    }

    @Override
    public void accept(LearnerEvent event) {
        publish(event);
    }

    /**
     * A new subscription: live events from now on. When the subscriber falls more than the
     * subscriber buffer behind, older pending events are replaced by the newest, whose
     * {@code missed_events} says how many it skipped.
     */
    public Source<LearnerEvent, NotUsed> subscribe() {
        return hub.conflateWithSeed(Missed::new, Missed::replaceWith)
                .map(Missed::stamped)
                .buffer(subscriberBuffer, OverflowStrategy.backpressure());
    }

    /** Completes every subscription after the events already published. */
    public void close() {
        queue.complete();
    }

    public long published() {
        return published.get();
    }

    /** Events the hub itself could not take (every subscriber still gets the same stream). */
    public long droppedAtHub() {
        return dropped.get();
    }

    /** An event waiting for a slow subscriber, with how many it replaced. */
    private record Missed(LearnerEvent event, long skipped) {
        Missed(LearnerEvent event) {
            this(event, 0);
        }

        Missed replaceWith(LearnerEvent newer) {
            return new Missed(newer, skipped + 1);
        }

        LearnerEvent stamped() {
            return skipped == 0 ? event : event.toBuilder().setMissedEvents(skipped).build();
        }
    }
}
