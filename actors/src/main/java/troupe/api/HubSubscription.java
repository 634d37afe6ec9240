package troupe.api;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;
import troupe.proto.v1.LearnerEvent;

/** A bounded, drop-oldest buffer of one subscriber of a {@link LearnerEventHub}. */
final class HubSubscription implements LearnerEventHub.Subscription {

    /** A buffered event and how many events were dropped just before it. */
    private static final class Entry {
        final LearnerEvent event;
        long missedBefore;

        Entry(LearnerEvent event, long missedBefore) {
            this.event = event;
            this.missedBefore = missedBefore;
        }
    }

    private final int capacity;
    private final AtomicLong hubMissed;
    private final ArrayDeque<Entry> buffer = new ArrayDeque<>();
    private Runnable wakeUp; // guarded by this
    private Runnable onClose; // guarded by this
    private boolean ended; // hub closed: no more offers; guarded by this
    private boolean closed; // subscriber gone; guarded by this

    HubSubscription(int capacity, AtomicLong hubMissed) {
        this.capacity = capacity;
        this.hubMissed = hubMissed;
    }

    /** Queues a replayed event; the hub sized the capacity to hold the whole replay. */
    synchronized void replay(LearnerEvent event) {
        buffer.addLast(new Entry(event, 0));
    }

    /** Buffers a live event, dropping the oldest when full; returns the wake-up to run, if any. */
    synchronized Runnable offer(LearnerEvent event) {
        if (closed) {
            return null;
        }
        long carried = 0;
        while (buffer.size() >= capacity) {
            Entry dropped = buffer.removeFirst();
            hubMissed.incrementAndGet();
            // The loss is reported on whatever event the subscriber takes next.
            Entry next = buffer.peekFirst();
            if (next != null) {
                next.missedBefore += dropped.missedBefore + 1;
            } else {
                carried += dropped.missedBefore + 1;
            }
        }
        buffer.addLast(new Entry(event, carried));
        return takeWakeUp();
    }

    void finish() {
        Runnable w;
        synchronized (this) {
            ended = true;
            w = takeWakeUp();
        }
        if (w != null) {
            w.run();
        }
    }

    synchronized void onClose(Runnable action) {
        if (closed) {
            action.run();
        } else {
            onClose = action;
        }
    }

    @Override
    public synchronized LearnerEvent poll() {
        Entry e = buffer.pollFirst();
        if (e == null) {
            return null;
        }
        return e.missedBefore == 0 ? e.event : e.event.toBuilder().setMissedEvents(e.missedBefore).build();
    }

    @Override
    public synchronized boolean isDone() {
        return closed || (ended && buffer.isEmpty());
    }

    @Override
    public void onAvailable(Runnable w) {
        boolean now;
        synchronized (this) {
            now = !buffer.isEmpty() || isDone();
            wakeUp = now ? null : w;
        }
        if (now) {
            w.run();
        }
    }

    @Override
    public void close() {
        Runnable action;
        Runnable w;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            buffer.clear();
            action = onClose;
            w = takeWakeUp();
        }
        if (action != null) {
            action.run();
        }
        if (w != null) {
            w.run();
        }
    }

    private Runnable takeWakeUp() {
        Runnable w = wakeUp;
        wakeUp = null;
        return w;
    }
}
