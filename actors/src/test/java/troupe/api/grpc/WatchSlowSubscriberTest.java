package troupe.api.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import troupe.api.FakeRunControl;
import troupe.api.LearnerEventHub;
import troupe.api.TestEvents;
import troupe.proto.v1.LearnerEvent;
import troupe.proto.v1.LearnerStreamGrpc;
import troupe.proto.v1.WatchRequest;

/**
 * Three Watch subscribers over real Netty on loopback while the "learner" publishes at a steady
 * pace; one subscriber sleeps per message. The slow one must lose events (and be told how many),
 * the fast ones must get every event, and publish must never wait for anyone.
 */
class WatchSlowSubscriberTest {
    // Sized so a fast subscriber may stall ~2 s (BUFFER × interval) without loss on a loaded
    // machine, while the slow one (≤ 1 message per 25 ms) falls more than BUFFER behind.
    private static final int EVENTS = 650;
    private static final int BUFFER = 400;
    private static final long PUBLISH_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long SLOW_SLEEP_MILLIS = 25;
    private static final int PARETO_POINTS = 200; // ~5 kB per event: transport windows hold only a few

    private final AtomicBoolean published = new AtomicBoolean();

    /** What one subscriber saw: steps in arrival order and the missed count each carried. */
    private record Seen(List<Long> steps, List<Long> missed) {
        long totalMissed() {
            return missed.stream().mapToLong(Long::longValue).sum();
        }
    }

    @Test
    @Timeout(60)
    void slowSubscriberLosesEventsWhileFastOnesGetAllAndPublishNeverBlocks() throws Exception {
        LearnerEventHub hub = new LearnerEventHub(16, BUFFER);
        TroupeGrpcServer server = new TroupeGrpcServer(
                NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)), hub, new FakeRunControl(), "t")
                .start();
        List<ManagedChannel> channels = new ArrayList<>();
        try {
            List<CompletableFuture<Seen>> subscribers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                boolean slow = i == 2;
                NettyChannelBuilder b = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext();
                if (slow) {
                    // A small fixed HTTP/2 window (no auto-tuning) so the slow reader's backlog
                    // builds up on the server side, where the hub must bound it.
                    b.flowControlWindow(16 * 1024);
                }
                ManagedChannel ch = b.build();
                channels.add(ch);
                subscribers.add(CompletableFuture.supplyAsync(() -> read(ch, slow), r -> new Thread(r).start()));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (hub.subscriberCount() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(3, hub.subscriberCount(), "all three subscribed before publishing");

            List<Long> returned = new ArrayList<>(EVENTS);
            long next = System.nanoTime();
            for (long step = 1; step <= EVENTS; step++) {
                hub.publish(TestEvents.step(step, PARETO_POINTS));
                returned.add(step);
                next += PUBLISH_INTERVAL_NANOS;
                LockSupport.parkNanos(next - System.nanoTime());
            }
            published.set(true);
            hub.close();

            List<Long> all = java.util.stream.LongStream.rangeClosed(1, EVENTS).boxed().toList();
            assertEquals(all, returned, "every publish call returned, in order");
            for (int i = 0; i < 2; i++) {
                Seen fast = subscribers.get(i).get(30, TimeUnit.SECONDS);
                assertEquals(all, fast.steps(), "fast subscriber " + i + " got every event");
                assertEquals(0, fast.totalMissed());
            }
            Seen slow = subscribers.get(2).get(30, TimeUnit.SECONDS);
            assertTrue(slow.totalMissed() > 0, "the slow subscriber missed events: " + slow.totalMissed());
            // Every event up to the last one received was either received or counted as missed,
            // in order, and each count sits on the event right after its gap.
            long last = slow.steps().get(slow.steps().size() - 1);
            assertEquals(last, slow.steps().size() + slow.totalMissed());
            assertEquals(slow.steps().get(0) - 1, (long) slow.missed().get(0));
            for (int k = 1; k < slow.steps().size(); k++) {
                long gap = slow.steps().get(k) - slow.steps().get(k - 1) - 1;
                assertEquals(gap, (long) slow.missed().get(k), "missed_events equals the gap before step " + slow.steps().get(k));
            }
            assertTrue(hub.missedCount() >= slow.totalMissed());
        } finally {
            channels.forEach(ManagedChannel::shutdownNow);
            server.close();
        }
    }

    /** Reads the stream; the slow reader stops once publishing is over and it has been told of a loss. */
    private Seen read(ManagedChannel ch, boolean slow) {
        List<Long> steps = new ArrayList<>();
        List<Long> missed = new ArrayList<>();
        Iterator<LearnerEvent> it = LearnerStreamGrpc.newBlockingStub(ch).watch(WatchRequest.getDefaultInstance());
        while (it.hasNext()) {
            LearnerEvent e = it.next();
            steps.add(e.getStep());
            missed.add(e.getMissedEvents());
            if (slow) {
                if (published.get() && missed.stream().anyMatch(m -> m > 0)) {
                    ch.shutdownNow(); // cancels the call; the server drops the subscription
                    break;
                }
                try {
                    Thread.sleep(SLOW_SLEEP_MILLIS);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return new Seen(steps, missed);
    }
}
