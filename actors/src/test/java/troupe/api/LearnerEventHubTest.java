package troupe.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import troupe.proto.v1.LearnerEvent;

class LearnerEventHubTest {

    private static List<LearnerEvent> drain(LearnerEventHub.Subscription s) {
        List<LearnerEvent> out = new ArrayList<>();
        for (LearnerEvent e = s.poll(); e != null; e = s.poll()) {
            out.add(e);
        }
        return out;
    }

    @Test
    void everySubscriberGetsEveryEventWhenItKeepsUp() {
        LearnerEventHub hub = new LearnerEventHub(10, 4);
        LearnerEventHub.Subscription a = hub.subscribe(0);
        LearnerEventHub.Subscription b = hub.subscribe(0);
        for (long step = 1; step <= 3; step++) {
            hub.publish(TestEvents.step(step));
        }
        assertEquals(List.of(1L, 2L, 3L), drain(a).stream().map(LearnerEvent::getStep).toList());
        assertEquals(List.of(1L, 2L, 3L), drain(b).stream().map(LearnerEvent::getStep).toList());
        assertEquals(0, hub.missedCount());
    }

    @Test
    void fullBufferDropsOldestAndNextEventCarriesTheMissedCount() {
        LearnerEventHub hub = new LearnerEventHub(10, 3);
        LearnerEventHub.Subscription slow = hub.subscribe(0);
        for (long step = 1; step <= 8; step++) {
            hub.publish(TestEvents.step(step));
        }
        List<LearnerEvent> got = drain(slow);
        assertEquals(List.of(6L, 7L, 8L), got.stream().map(LearnerEvent::getStep).toList());
        assertEquals(List.of(5L, 0L, 0L), got.stream().map(LearnerEvent::getMissedEvents).toList());
        assertEquals(5, hub.missedCount());
        // Having caught up, the next live event reports no loss.
        hub.publish(TestEvents.step(9));
        assertEquals(0, slow.poll().getMissedEvents());
    }

    @Test
    void missedCountIsCarriedWhenTheBufferHoldsOneEvent() {
        LearnerEventHub hub = new LearnerEventHub(10, 1);
        LearnerEventHub.Subscription s = hub.subscribe(0);
        hub.publish(TestEvents.step(1));
        hub.publish(TestEvents.step(2));
        hub.publish(TestEvents.step(3));
        LearnerEvent e = s.poll();
        assertEquals(3, e.getStep());
        assertEquals(2, e.getMissedEvents());
    }

    @Test
    void replayDeliversTheLastNFromTheRingThenLiveEvents() {
        LearnerEventHub hub = new LearnerEventHub(5, 2);
        for (long step = 1; step <= 7; step++) {
            hub.publish(TestEvents.step(step));
        }
        LearnerEventHub.Subscription three = hub.subscribe(3);
        LearnerEventHub.Subscription all = hub.subscribe(1000);
        hub.publish(TestEvents.step(8));
        assertEquals(List.of(5L, 6L, 7L, 8L), drain(three).stream().map(LearnerEvent::getStep).toList());
        // Capped by the ring (5); the live buffer (2) does not cut history the subscriber asked for.
        assertEquals(List.of(3L, 4L, 5L, 6L, 7L, 8L), drain(all).stream().map(LearnerEvent::getStep).toList());
        assertEquals(8, hub.latest().orElseThrow().getStep());
    }

    @Test
    void wakeUpRunsOncePerRegistrationAndAtOnceWhenSomethingIsBuffered() {
        LearnerEventHub hub = new LearnerEventHub(5, 5);
        LearnerEventHub.Subscription s = hub.subscribe(0);
        AtomicInteger woken = new AtomicInteger();
        s.onAvailable(woken::incrementAndGet);
        assertEquals(0, woken.get());
        hub.publish(TestEvents.step(1));
        hub.publish(TestEvents.step(2));
        assertEquals(1, woken.get());
        s.onAvailable(woken::incrementAndGet);
        assertEquals(2, woken.get());
    }

    @Test
    void nextCompletesWhenAnEventArrivesAndIsEmptyAfterClose() {
        LearnerEventHub hub = new LearnerEventHub(5, 5);
        LearnerEventHub.Subscription s = hub.subscribe(0);
        CompletableFuture<Optional<LearnerEvent>> f = s.next();
        assertFalse(f.isDone());
        hub.publish(TestEvents.step(1));
        assertEquals(1, f.join().orElseThrow().getStep());
        hub.publish(TestEvents.step(2));
        hub.close();
        assertEquals(2, s.next().join().orElseThrow().getStep());
        assertTrue(s.next().join().isEmpty());
        assertTrue(s.isDone());
    }

    @Test
    void closedSubscriptionLeavesTheHubAndGetsNothing() {
        LearnerEventHub hub = new LearnerEventHub(5, 5);
        LearnerEventHub.Subscription s = hub.subscribe(0);
        assertEquals(1, hub.subscriberCount());
        s.close();
        assertEquals(0, hub.subscriberCount());
        hub.publish(TestEvents.step(1));
        assertNull(s.poll());
        assertTrue(s.isDone());
    }
}
