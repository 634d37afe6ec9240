package troupe.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import troupe.api.grpc.TroupeGrpcServer;
import troupe.api.http.DashboardServer;
import troupe.api.http.HttpSettings;
import troupe.proto.v1.LearnerEvent;
import troupe.proto.v1.LearnerStreamGrpc;
import troupe.proto.v1.WatchRequest;

/**
 * Issue 20 item 5: 100 SSE clients and 100 gRPC Watch clients on one hub, served by the real
 * DashboardServer and TroupeGrpcServer over loopback, while the "learner" publishes at a steady
 * pace. A fifth of each kind never reads until publishing is over. The hub's contract
 * (LearnerEventHub): nobody is dropped, a lagging subscriber loses its oldest events and is told
 * how many in missed_events. So every client, reader or not, must account for every event as
 * received or missed; the non-readers must have missed some; memory and threads stay bounded.
 */
class ManySubscribersTest {
    private static final int CLIENTS = 100; // of each kind
    private static final int NON_READERS = 20; // of each kind
    private static final int EVENTS = 300;
    private static final int BUFFER = 64; // per-subscriber bound of the hub
    private static final int PARETO_POINTS = 50; // ~1.3 kB protobuf, ~4 kB JSON per event
    private static final long PUBLISH_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** Threads the JVM may keep after everything closed (shared gRPC/JDK pools wind down lazily). */
    private static final int THREAD_SLACK = 12;
    /**
     * Heap the publishing may add, after GC, with 40 subscriptions stalled and full: at most
     * 200 × BUFFER events (≤ 17 MB unshared; the hub shares them) plus transport buffers.
     */
    private static final long STALLED_HEAP_BYTES = 32L << 20;
    /** Heap left after everything closed, over the JVM before the test (classes' statics, caches). */
    private static final long HEAP_SLACK_BYTES = 64L << 20;
    private static final JsonFormat.Parser JSON = JsonFormat.parser().ignoringUnknownFields();

    /** What one client saw: steps in arrival order and the missed count each carried. */
    record Seen(List<Long> steps, List<Long> missed) {
        Seen() {
            this(new ArrayList<>(), new ArrayList<>());
        }

        void add(LearnerEvent e) {
            steps.add(e.getStep());
            missed.add(e.getMissedEvents());
        }

        long totalMissed() {
            return missed.stream().mapToLong(Long::longValue).sum();
        }
    }

    @Test
    @Timeout(120)
    void everyClientAccountsForEveryEventAndStalledOnesLagWithinBoundedMemory() throws Exception {
        long threadsBefore = threads();
        long heapBefore = heapAfterGc();
        LearnerEventHub hub = new LearnerEventHub(16, BUFFER);
        TroupeGrpcServer grpc = new TroupeGrpcServer(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)),
                hub, new FakeRunControl(), "t", 1 << 20, 256).start();
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "many-subscribers");
        ServerBinding http = new DashboardServer(hub, new HttpSettings("127.0.0.1", 0, Duration.ofSeconds(30)))
                .start(system).toCompletableFuture().get(10, TimeUnit.SECONDS);
        CountDownLatch release = new CountDownLatch(1);
        List<ManagedChannel> channels = new ArrayList<>();
        List<GrpcClient> grpcClients = new ArrayList<>();
        List<CompletableFuture<Seen>> sse = new ArrayList<>();
        try {
            for (int i = 0; i < CLIENTS; i++) {
                boolean reading = i >= NON_READERS;
                NettyChannelBuilder b = NettyChannelBuilder.forAddress("127.0.0.1", grpc.port()).usePlaintext()
                        .directExecutor();
                if (!reading) {
                    b.flowControlWindow(16 * 1024); // a fixed window: the backlog builds up server-side
                }
                ManagedChannel ch = b.build();
                channels.add(ch);
                GrpcClient c = new GrpcClient(reading);
                LearnerStreamGrpc.newStub(ch).watch(WatchRequest.getDefaultInstance(), c);
                grpcClients.add(c);
                int port = http.localAddress().getPort();
                CompletableFuture<Seen> f = new CompletableFuture<>();
                Thread t = new Thread(() -> readSse(port, reading, release, f), "sse-client-" + i);
                t.setDaemon(true);
                t.start();
                sse.add(f);
            }
            awaitSubscribers(hub, 2 * CLIENTS);
            long peakThreads = threads();
            long heapConnected = heapAfterGc();

            long maxPublishNanos = 0;
            long next = System.nanoTime();
            for (long step = 1; step <= EVENTS; step++) {
                long t0 = System.nanoTime();
                hub.publish(TestEvents.step(step, PARETO_POINTS));
                maxPublishNanos = Math.max(maxPublishNanos, System.nanoTime() - t0);
                next += PUBLISH_INTERVAL_NANOS;
                LockSupport.parkNanos(next - System.nanoTime());
            }
            peakThreads = Math.max(peakThreads, threads());
            // 40 stalled subscriptions hold at most BUFFER events each: the heap says so.
            long heapStalled = heapAfterGc();
            assertTrue(heapStalled - heapConnected < STALLED_HEAP_BYTES,
                    "heap grew " + (heapStalled - heapConnected) + " bytes with stalled subscribers");
            hub.close();
            release.countDown();
            grpcClients.stream().filter(c -> !c.reading).forEach(GrpcClient::release);

            List<Seen> grpcSeen = new ArrayList<>();
            for (GrpcClient c : grpcClients) {
                grpcSeen.add(c.done.get(60, TimeUnit.SECONDS));
            }
            List<Seen> sseSeen = new ArrayList<>();
            for (CompletableFuture<Seen> f : sse) {
                sseSeen.add(f.get(60, TimeUnit.SECONDS));
            }
            for (int i = 0; i < CLIENTS; i++) {
                boolean reading = i >= NON_READERS;
                assertAccountsForAll("gRPC client " + i, grpcSeen.get(i), reading);
                assertAccountsForAll("SSE client " + i, sseSeen.get(i), reading);
            }
            awaitSubscribers(hub, 0);
            System.out.printf("many-subscribers: events=%d publishMaxMs=%.2f hubMissed=%d%n", EVENTS,
                    maxPublishNanos / 1e6, hub.missedCount());
            summary("gRPC", grpcSeen);
            summary("SSE", sseSeen);
            System.out.printf("many-subscribers: threads before=%d peak=%d; heap before=%dMB connected=%dMB"
                    + " stalled=%dMB%n", threadsBefore, peakThreads, heapBefore >> 20, heapConnected >> 20,
                    heapStalled >> 20);
        } finally {
            channels.forEach(ManagedChannel::shutdownNow);
            grpc.close();
            http.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        for (ManagedChannel ch : channels) {
            ch.awaitTermination(5, TimeUnit.SECONDS);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (threads() - threadsBefore > THREAD_SLACK && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        long threadsAfter = threads();
        long heapAfter = heapAfterGc();
        System.out.printf("many-subscribers: after close threads=%d (before %d) heap=%dMB (before %dMB)%n",
                threadsAfter, threadsBefore, heapAfter >> 20, heapBefore >> 20);
        assertTrue(threadsAfter - threadsBefore <= THREAD_SLACK,
                "threads after close " + threadsAfter + " vs before " + threadsBefore);
        assertTrue(heapAfter - heapBefore < HEAP_SLACK_BYTES, "heap after close grew " + (heapAfter - heapBefore));
    }

    /** Every step 1..EVENTS was received or counted missed, in order; each count is the gap before it. */
    private static void assertAccountsForAll(String who, Seen s, boolean reading) {
        assertTrue(!s.steps().isEmpty(), who + " got nothing");
        assertEquals(EVENTS, (long) s.steps().get(s.steps().size() - 1), who + " got the last event");
        long previous = 0;
        for (int k = 0; k < s.steps().size(); k++) {
            long step = s.steps().get(k);
            assertEquals(step - previous - 1, (long) s.missed().get(k), who + ": missed_events is the gap before " + step);
            previous = step;
        }
        assertEquals(EVENTS, s.steps().size() + s.totalMissed(), who + " received + missed = published");
        if (!reading) {
            assertTrue(s.totalMissed() > 0, who + " never read yet missed nothing: its backlog was unbounded");
        }
    }

    private static void summary(String kind, List<Seen> seen) {
        for (boolean reading : new boolean[] {true, false}) {
            List<Seen> group = new ArrayList<>();
            for (int i = 0; i < seen.size(); i++) {
                if ((i >= NON_READERS) == reading) {
                    group.add(seen.get(i));
                }
            }
            long lossy = group.stream().filter(s -> s.totalMissed() > 0).count();
            long minGot = group.stream().mapToLong(s -> s.steps().size()).min().orElse(0);
            long maxGot = group.stream().mapToLong(s -> s.steps().size()).max().orElse(0);
            long missed = group.stream().mapToLong(Seen::totalMissed).sum();
            System.out.printf("many-subscribers: %s %s clients=%d withLoss=%d received=[%d..%d] missedTotal=%d"
                    + " firstStep=%d%n", kind, reading ? "readers" : "non-readers", group.size(), lossy, minGot, maxGot,
                    missed, group.stream().mapToLong(s -> s.steps().get(0)).max().orElse(0));
        }
    }

    /** A Watch call; a non-reader asks for no message until released, so gRPC flow control stalls it. */
    private static final class GrpcClient implements ClientResponseObserver<WatchRequest, LearnerEvent> {
        final boolean reading;
        final CompletableFuture<Seen> done = new CompletableFuture<>();
        private final Seen seen = new Seen();
        private volatile ClientCallStreamObserver<WatchRequest> call;

        GrpcClient(boolean reading) {
            this.reading = reading;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<WatchRequest> c) {
            call = c;
            if (!reading) {
                c.disableAutoRequestWithInitial(0);
            }
        }

        void release() {
            call.request(Integer.MAX_VALUE);
        }

        @Override
        public void onNext(LearnerEvent e) {
            seen.add(e);
        }

        @Override
        public void onError(Throwable t) {
            done.completeExceptionally(t);
        }

        @Override
        public void onCompleted() {
            done.complete(seen);
        }
    }

    /**
     * One SSE client on a plain socket (HTTP/1.1, chunked). A non-reader shrinks its receive
     * buffer and reads nothing until released, so TCP backpressure reaches the server's stream.
     */
    private static void readSse(int port, boolean reading, CountDownLatch release, CompletableFuture<Seen> out) {
        Seen seen = new Seen();
        try (Socket s = new Socket()) {
            if (!reading) {
                s.setReceiveBufferSize(4096);
            }
            s.setSoTimeout(60_000);
            s.connect(new InetSocketAddress("127.0.0.1", port));
            s.getOutputStream().write(("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            if (!reading) {
                release.await();
            }
            InputStream in = new BufferedInputStream(s.getInputStream());
            String status = line(in);
            if (!status.startsWith("HTTP/1.1 200")) {
                throw new IOException("SSE answered " + status);
            }
            while (!line(in).isEmpty()) {
                // headers: Pekko sends the stream chunked
            }
            ByteArrayOutputStream pending = new ByteArrayOutputStream();
            for (int size = Integer.parseInt(line(in).split(";")[0].trim(), 16); size > 0;
                    size = Integer.parseInt(line(in).split(";")[0].trim(), 16)) {
                for (int k = 0; k < size; k++) {
                    int b = in.read();
                    if (b < 0) {
                        throw new IOException("stream ended inside a chunk");
                    }
                    if (b == '\n') {
                        String l = pending.toString(StandardCharsets.UTF_8);
                        pending.reset();
                        if (l.startsWith("data:")) {
                            LearnerEvent.Builder e = LearnerEvent.newBuilder();
                            JSON.merge(l.substring(5).trim(), e);
                            seen.add(e.build());
                        }
                    } else {
                        pending.write(b);
                    }
                }
                line(in); // CRLF after the chunk
            }
            out.complete(seen);
        } catch (Exception e) {
            out.completeExceptionally(e);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("stream ended mid-line");
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    private static void awaitSubscribers(LearnerEventHub hub, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (hub.subscriberCount() != n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(n, hub.subscriberCount(), "subscribers on the hub");
    }

    private static long threads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    /**
     * Heap live after a full collection: each heap pool's usage as the last GC left it, so what
     * client and server threads allocate right after the GC does not count.
     */
    private static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP && p.getCollectionUsage() != null)
                .mapToLong(p -> p.getCollectionUsage().getUsed()).sum();
    }
}
