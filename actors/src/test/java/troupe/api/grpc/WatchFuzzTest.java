package troupe.api.grpc;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Context;
import io.grpc.Status;
import java.util.Iterator;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import troupe.api.FakeRunControl;
import troupe.api.LearnerEventHub;
import troupe.api.TestEvents;
import troupe.fuzz.Rejections;
import troupe.proto.v1.LearnerEvent;
import troupe.proto.v1.LearnerStreamGrpc;
import troupe.proto.v1.WatchRequest;

/**
 * Fuzz target: WatchRequest messages into LearnerStream.Watch over a hub holding 5 events. A
 * call replays at most what the ring holds, whatever replay_last says, and then waits; the
 * client reads what arrives and cancels.
 */
class WatchFuzzTest {
    private static InProcessTroupe troupe;

    @BeforeAll
    static void start() throws Exception {
        LearnerEventHub hub = new LearnerEventHub(5, 5);
        for (int step = 1; step <= 5; step++) {
            hub.publish(TestEvents.step(step));
        }
        troupe = new InProcessTroupe(hub, new FakeRunControl());
    }

    @AfterAll
    static void stop() {
        troupe.close();
    }

    @FuzzTest(maxDuration = Rejections.CEILING)
    void replaysAtMostTheRing(byte[] message) throws Throwable {
        WatchRequest req;
        try {
            req = WatchRequest.parseFrom(message);
        } catch (InvalidProtocolBufferException e) {
            return; // gRPC's own parser rejects it before Troupe sees it
        }
        try (Context.CancellableContext call = Context.current().withCancellation()) {
            call.run(() -> {
                try {
                    Rejections.expectStatus(() -> {
                        Iterator<LearnerEvent> events = LearnerStreamGrpc.newBlockingStub(troupe.channel).watch(req);
                        long expected = Math.min(5, Integer.toUnsignedLong(req.getReplayLast()));
                        for (long i = 0; i < expected; i++) {
                            events.next();
                        }
                    }, Set.of(Status.Code.RESOURCE_EXHAUSTED));
                } catch (Throwable t) {
                    throw new AssertionError(t);
                }
            });
        }
    }
}
