package troupe.api.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import troupe.api.FakeRunControl;
import troupe.api.LearnerEventHub;
import troupe.api.http.HttpSettings;
import troupe.proto.v1.ControlGrpc;
import troupe.proto.v1.LearnerEvent;
import troupe.proto.v1.LearnerStreamGrpc;
import troupe.proto.v1.SetWeightingRequest;
import troupe.proto.v1.WatchRequest;

/** The gRPC endpoint's limits: request size, Watch subscribers, loopback by default. */
class GrpcLimitsTest {
    private static final GrpcSettings DEFAULTS = GrpcSettings.fromConfig(ConfigFactory.load(), Map.of());

    @Test
    void defaultsBindLoopbackAndLimitRequestsAndSubscribers() {
        assertEquals("127.0.0.1", DEFAULTS.host());
        assertEquals(1 << 20, DEFAULTS.maxInboundMessageBytes());
        assertEquals(256, DEFAULTS.maxWatchSubscribers());
        assertEquals("127.0.0.1", HttpSettings.fromConfig(ConfigFactory.load()).host());
    }

    @Test
    void aServerOfTheDefaultsListensOnLoopbackOnly() throws Exception {
        GrpcSettings s = GrpcSettings.fromConfig(
                ConfigFactory.parseString("troupe.grpc.port = 0").withFallback(ConfigFactory.load()), Map.of());
        try (TroupeGrpcServer server = TroupeGrpcServer.of(s, new LearnerEventHub(4, 4), new FakeRunControl()).start()) {
            InetSocketAddress bound = (InetSocketAddress) server.listenAddress();
            assertTrue(bound.getAddress().isLoopbackAddress(), bound.toString());
        }
    }

    @Test
    void aRequestLargerThanTheLimitIsRefusedBeforeTroupeReadsIt() throws Exception {
        GrpcSettings s = GrpcSettings.fromConfig(ConfigFactory.parseString(
                "troupe.grpc { port = 0, token = t, max-inbound-message-bytes = 1024 }").withFallback(ConfigFactory.load()),
                Map.of());
        FakeRunControl run = new FakeRunControl();
        try (TroupeGrpcServer server = TroupeGrpcServer.of(s, new LearnerEventHub(4, 4), run).start()) {
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
            try {
                var control = ControlGrpc.newBlockingStub(channel).withCallCredentials(new BearerToken("t"));
                StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                        () -> control.setWeighting(SetWeightingRequest.newBuilder().setStrategy("x".repeat(2000)).build()));
                assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
                assertTrue(run.calls.isEmpty(), "the run was asked: " + run.calls);
                // a request within the limit goes through
                control.setWeighting(SetWeightingRequest.newBuilder().setStrategy("maxmin").build());
            } finally {
                channel.shutdownNow();
            }
        }
    }

    @Test
    void theWatchSubscriberBeyondTheLimitGetsResourceExhaustedUntilOneLeaves() throws Exception {
        String name = InProcessServerBuilder.generateName();
        LearnerEventHub hub = new LearnerEventHub(4, 4);
        try (TroupeGrpcServer server = new TroupeGrpcServer(InProcessServerBuilder.forName(name), hub,
                new FakeRunControl(), "t", 1 << 20, 2).start()) {
            ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
            try {
                var stub = LearnerStreamGrpc.newStub(channel);
                java.util.List<Watching> calls = java.util.List.of(new Watching(), new Watching(), new Watching());
                calls.forEach(w -> stub.watch(WatchRequest.getDefaultInstance(), w));
                // whichever of the three reached the server last is refused
                CompletableFuture.anyOf(calls.stream().map(w -> w.ended).toArray(CompletableFuture[]::new))
                        .get(10, TimeUnit.SECONDS);
                java.util.List<Watching> refusedCalls = calls.stream().filter(w -> w.ended.isDone()).toList();
                assertEquals(1, refusedCalls.size());
                Status refused = Status.fromThrowable(refusedCalls.get(0).ended.get());
                assertEquals(Status.Code.RESOURCE_EXHAUSTED, refused.getCode());
                assertEquals("already 2 Watch subscribers (troupe.grpc.max-watch-subscribers); try again later",
                        refused.getDescription());
                hub.publish(troupe.api.TestEvents.step(1)); // the two admitted calls are live
                for (Watching w : calls) {
                    if (!refusedCalls.contains(w)) {
                        assertEquals(1L, w.firstEvent.get(10, TimeUnit.SECONDS).getStep());
                    }
                }

                channel.shutdownNow(); // both clients leave: their slots free up
                channel.awaitTermination(10, TimeUnit.SECONDS);
                channel = InProcessChannelBuilder.forName(name).build();
                // the server learns of the cancellations asynchronously: retry until a slot is free
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                LearnerEvent replayed = null;
                while (replayed == null && System.nanoTime() < deadline) {
                    Watching again = new Watching();
                    LearnerStreamGrpc.newStub(channel).watch(WatchRequest.newBuilder().setReplayLast(1).build(), again);
                    CompletableFuture.anyOf(again.firstEvent, again.ended).get(10, TimeUnit.SECONDS);
                    if (again.firstEvent.isDone()) {
                        replayed = again.firstEvent.get();
                    } else {
                        Thread.sleep(20);
                    }
                }
                assertEquals(1L, replayed == null ? -1 : replayed.getStep());
            } finally {
                channel.shutdownNow();
            }
        }
    }

    /** A Watch client that records its first event and how its call ended. */
    private static final class Watching implements StreamObserver<LearnerEvent> {
        final CompletableFuture<LearnerEvent> firstEvent = new CompletableFuture<>();
        final CompletableFuture<Throwable> ended = new CompletableFuture<>();

        @Override
        public void onNext(LearnerEvent e) {
            firstEvent.complete(e);
        }

        @Override
        public void onError(Throwable t) {
            ended.complete(t);
        }

        @Override
        public void onCompleted() {
            ended.complete(null);
        }
    }
}
