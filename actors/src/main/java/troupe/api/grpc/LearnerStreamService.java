package troupe.api.grpc;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import troupe.api.LearnerEventHub;
import troupe.proto.v1.LearnerEvent;
import troupe.proto.v1.LearnerStreamGrpc;
import troupe.proto.v1.WatchRequest;

/**
 * {@code LearnerStream.Watch} served from a {@link LearnerEventHub}. Each call is one hub
 * subscription drained only while gRPC says the call {@linkplain ServerCallStreamObserver#isReady
 * is ready}: a slow client therefore fills its bounded hub buffer (and loses events there, with
 * {@code missed_events} set) instead of growing Netty's outbound buffer without bound.
 */
public final class LearnerStreamService extends LearnerStreamGrpc.LearnerStreamImplBase {
    private final LearnerEventHub hub;
    private final Executor executor;
    private final int maxSubscribers;
    private final AtomicInteger watching = new AtomicInteger();

    /**
     * @param executor runs drains woken by the hub, so the publishing learner thread only hands off
     * @param maxSubscribers Watch calls served at once; the next gets RESOURCE_EXHAUSTED
     */
    public LearnerStreamService(LearnerEventHub hub, Executor executor, int maxSubscribers) {
        this.hub = hub;
        this.executor = executor;
        this.maxSubscribers = maxSubscribers;
    }

    /** Watch calls being served now. */
    public int watching() {
        return watching.get();
    }

    @Override
    public void watch(WatchRequest req, StreamObserver<LearnerEvent> plain) {
        ServerCallStreamObserver<LearnerEvent> out = (ServerCallStreamObserver<LearnerEvent>) plain;
        if (watching.incrementAndGet() > maxSubscribers) {
            watching.decrementAndGet();
            out.onError(Status.RESOURCE_EXHAUSTED.withDescription("already " + maxSubscribers
                    + " Watch subscribers (troupe.grpc.max-watch-subscribers); try again later").asException());
            return;
        }
        LearnerEventHub.Subscription sub = hub.subscribe(Integer.toUnsignedLong(req.getReplayLast()));
        AtomicInteger released = new AtomicInteger();
        // A call ends by cancel (client gone) or by completion (hub closed): free its slot once.
        Runnable release = () -> {
            if (released.getAndIncrement() == 0) {
                watching.decrementAndGet();
            }
        };
        Pump pump = new Pump(out, sub, release);
        out.setOnCancelHandler(() -> {
            sub.close();
            release.run();
        });
        out.setOnReadyHandler(pump::drain);
        pump.drain();
    }

    /** Moves events from one subscription to one call while the call is ready. */
    private final class Pump {
        private final ServerCallStreamObserver<LearnerEvent> out;
        private final LearnerEventHub.Subscription sub;
        private boolean finished; // guarded by this
        private final Runnable onFinish;

        Pump(ServerCallStreamObserver<LearnerEvent> out, LearnerEventHub.Subscription sub, Runnable onFinish) {
            this.out = out;
            this.sub = sub;
            this.onFinish = onFinish;
        }

        // Called from gRPC's call executor (onReady) and from our executor (hub wake-ups);
        // synchronized so onNext is never called concurrently.
        synchronized void drain() {
            if (finished || out.isCancelled()) {
                return;
            }
            while (out.isReady()) {
                LearnerEvent e = sub.poll();
                if (e == null) {
                    if (sub.isDone()) {
                        finished = true;
                        // The hub ended: leave its subscriber list, as a cancelled call does.
                        sub.close();
                        out.onCompleted();
                        onFinish.run();
                    } else {
                        sub.onAvailable(() -> executor.execute(this::drain));
                    }
                    return;
                }
                out.onNext(e);
            }
            // Not ready: gRPC calls the onReady handler when the client has read enough.
        }
    }
}
