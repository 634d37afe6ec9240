package troupe.api;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import troupe.proto.v1.LearnerEvent;

/**
 * Fans the learner's per-step {@link LearnerEvent}s out to any number of subscribers (gRPC
 * Watch calls, SSE streams, the metrics endpoint) without ever making the learner wait.
 *
 * <p>{@link #publish} only appends to a ring and to each subscriber's bounded buffer under short
 * locks; it never waits for a consumer. A subscriber whose buffer is full loses its oldest
 * buffered event, and the next event it takes carries the number lost since the previous one
 * in {@code missed_events} (DESIGN.md: "a slow one never stalls training"). The ring keeps the
 * last {@code ringSize} events so a new subscriber can replay recent history first.
 */
public final class LearnerEventHub implements AutoCloseable {
    private final int ringSize;
    private final int subscriberBuffer;
    private final ArrayDeque<LearnerEvent> ring;
    private final List<HubSubscription> subscribers = new CopyOnWriteArrayList<>();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong missed = new AtomicLong();
    private final HealthAlertCounts alerts = new HealthAlertCounts();
    private volatile LearnerEvent latest;
    private boolean closed; // guarded by ring

    /**
     * @param ringSize events kept for replay, &gt;= 1
     * @param subscriberBuffer events buffered per subscriber before the oldest is dropped, &gt;= 1
     */
    public LearnerEventHub(int ringSize, int subscriberBuffer) {
        if (ringSize < 1 || subscriberBuffer < 1) {
            throw new IllegalArgumentException("ringSize and subscriberBuffer must be >= 1");
        }
        this.ringSize = ringSize;
        this.subscriberBuffer = subscriberBuffer;
        this.ring = new ArrayDeque<>(ringSize);
    }

    public static LearnerEventHub create(LearnerEventSettings settings) {
        return new LearnerEventHub(settings.ringSize(), settings.subscriberBuffer());
    }

    /**
     * Hands one event to every subscriber and the replay ring. Never waits for a subscriber:
     * wake-ups registered with {@link Subscription#onAvailable} run on this thread and must be
     * cheap hand-offs (an executor submit, an actor message). Events published after
     * {@link #close} are ignored.
     */
    public void publish(LearnerEvent event) {
        List<Runnable> wakeUps = new ArrayList<>();
        // The ring lock orders publish against subscribe, so a new subscriber sees each event
        // exactly once: either in its replay or live, never both and never neither.
        synchronized (ring) {
            if (closed) {
                return;
            }
            if (ring.size() == ringSize) {
                ring.removeFirst();
            }
            ring.addLast(event);
            latest = event;
            published.incrementAndGet();
            alerts.record(event);
            for (HubSubscription s : subscribers) {
                Runnable wake = s.offer(event);
                if (wake != null) {
                    wakeUps.add(wake);
                }
            }
        }
        wakeUps.forEach(Runnable::run);
    }

    /**
     * A new subscriber that first gets up to {@code replayLast} most recent events (capped by the
     * ring size), then live ones.
     */
    public Subscription subscribe(long replayLast) {
        HubSubscription s;
        synchronized (ring) {
            int replay = (int) Math.min(ring.size(), Math.max(0, replayLast));
            // Room for the replay on top of the live buffer, so history the subscriber asked for
            // is not pushed out by the first live events; memory stays bounded by ring + buffer.
            s = new HubSubscription(subscriberBuffer + replay, missed);
            if (closed) {
                s.close();
                return s;
            }
            ring.stream().skip(ring.size() - replay).forEach(s::replay);
            subscribers.add(s);
        }
        s.onClose(() -> subscribers.remove(s));
        return s;
    }

    /** The most recent event, if any was published. */
    public Optional<LearnerEvent> latest() {
        return Optional.ofNullable(latest);
    }

    /** Events published so far. */
    public long publishedCount() {
        return published.get();
    }

    /** Events dropped from subscriber buffers so far, summed over subscribers. */
    public long missedCount() {
        return missed.get();
    }

    /** Health alerts raised in the events published so far. */
    public HealthAlertCounts healthAlerts() {
        return alerts;
    }

    public int subscriberCount() {
        return subscribers.size();
    }

    /** Ends every subscription (after its buffered events) and ignores later publishes: the run is over. */
    @Override
    public void close() {
        synchronized (ring) {
            closed = true;
        }
        subscribers.forEach(HubSubscription::finish);
    }

    /** One subscriber's view: a pull interface with a one-shot wake-up, so any transport can drive it. */
    public interface Subscription extends AutoCloseable {

        /** The next buffered event, with {@code missed_events} set when events were dropped before it; null when none. */
        LearnerEvent poll();

        /** True once closed or the hub ended and every buffered event was taken: no more will come. */
        boolean isDone();

        /**
         * Runs {@code wakeUp} once, as soon as {@link #poll} has something or {@link #isDone}
         * turned true: at once on this thread if already so, else later on the publisher's
         * thread (so it must only hand off). Replaces a previously registered wake-up.
         */
        void onAvailable(Runnable wakeUp);

        /**
         * The next event as a future, for asynchronous consumers (Pekko Streams): empty when no
         * more will come. Completes on the publisher's thread when it has to wait, so attach only
         * cheap continuations. Call again only after the previous future completed.
         */
        default CompletableFuture<Optional<LearnerEvent>> next() {
            CompletableFuture<Optional<LearnerEvent>> f = new CompletableFuture<>();
            Runnable attempt = new Runnable() {
                @Override
                public void run() {
                    LearnerEvent e = poll();
                    if (e != null) {
                        f.complete(Optional.of(e));
                    } else if (isDone()) {
                        f.complete(Optional.empty());
                    } else {
                        onAvailable(this);
                    }
                }
            };
            attempt.run();
            return f;
        }

        /** Unsubscribes; buffered events are discarded. */
        @Override
        void close();
    }
}
