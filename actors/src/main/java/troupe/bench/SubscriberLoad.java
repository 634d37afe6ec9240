package troupe.bench;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import troupe.proto.v1.LearnerEvent;
import troupe.proto.v1.LearnerStreamGrpc;
import troupe.proto.v1.WatchRequest;

/**
 * Dashboards and watchers on a running job, for {@code troupe bench subscribers}: {@code clients}
 * gRPC Watch calls (a channel each) and {@code clients} SSE connections to the dashboard's
 * {@code /events}, of which {@code nonReaders} of each kind never read — a Watch call that asks
 * for no message behind a fixed 16 KiB HTTP/2 window, a socket with a 4 KiB receive buffer that
 * is never read — as in ManySubscribersTest. The readers discard what they get (one selector
 * thread reads every SSE socket; gRPC delivers on its own event loop), so the client side adds
 * as little CPU as it can to the JVM it shares with the job.
 */
public final class SubscriberLoad implements AutoCloseable {
    private static final int STALLED_WINDOW = 16 * 1024;
    private static final int STALLED_RECEIVE_BUFFER = 4096;

    private final List<ManagedChannel> channels = new ArrayList<>();
    private final List<SocketChannel> sockets = new ArrayList<>();
    private final Selector selector;
    private final Thread sseReader;
    private final AtomicLong grpcEvents = new AtomicLong();
    private final AtomicLong grpcMissed = new AtomicLong();
    private final AtomicLong sseBytes = new AtomicLong();

    private SubscriberLoad() throws IOException {
        selector = Selector.open();
        sseReader = new Thread(this::readSse, "bench-sse-readers");
        sseReader.setDaemon(true);
    }

    /** Opens every call and connection; returns once each request is sent (the servers subscribe soon after). */
    public static SubscriberLoad attach(String host, int grpcPort, int httpPort, int clients, int nonReaders)
            throws IOException {
        SubscriberLoad load = new SubscriberLoad();
        try {
            for (int i = 0; i < clients; i++) {
                boolean reading = i >= nonReaders;
                load.watch(host, grpcPort, reading);
                load.sse(host, httpPort, reading);
            }
        } catch (IOException | RuntimeException e) {
            load.close();
            throw e;
        }
        load.sseReader.start();
        return load;
    }

    /** Events the reading Watch clients received, all together. */
    public long grpcEvents() {
        return grpcEvents.get();
    }

    /** Events the reading Watch clients were told they missed ({@code missed_events}), all together. */
    public long grpcMissed() {
        return grpcMissed.get();
    }

    /** Bytes the reading SSE clients received, headers included. */
    public long sseBytes() {
        return sseBytes.get();
    }

    private void watch(String host, int port, boolean reading) {
        NettyChannelBuilder b = NettyChannelBuilder.forAddress(host, port).usePlaintext().directExecutor();
        if (!reading) {
            b.flowControlWindow(STALLED_WINDOW);
        }
        ManagedChannel ch = b.build();
        channels.add(ch);
        LearnerStreamGrpc.newStub(ch).watch(WatchRequest.getDefaultInstance(),
                new ClientResponseObserver<WatchRequest, LearnerEvent>() {
                    @Override
                    public void beforeStart(ClientCallStreamObserver<WatchRequest> call) {
                        if (!reading) {
                            call.disableAutoRequestWithInitial(0);
                        }
                    }

                    @Override
                    public void onNext(LearnerEvent e) {
                        grpcEvents.incrementAndGet();
                        grpcMissed.addAndGet(e.getMissedEvents());
                    }

                    @Override
                    public void onError(Throwable t) {
                        // cancelled by close(), or the server went away with the run: nothing to count
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
    }

    private void sse(String host, int port, boolean reading) throws IOException {
        SocketChannel s = SocketChannel.open();
        sockets.add(s);
        if (!reading) {
            s.setOption(StandardSocketOptions.SO_RCVBUF, STALLED_RECEIVE_BUFFER);
        }
        s.connect(new InetSocketAddress(host, port));
        ByteBuffer request = ByteBuffer.wrap(("GET /events HTTP/1.1\r\nHost: " + host
                + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        while (request.hasRemaining()) {
            s.write(request);
        }
        if (reading) {
            s.configureBlocking(false);
            s.register(selector, SelectionKey.OP_READ);
        }
    }

    private void readSse() {
        ByteBuffer scratch = ByteBuffer.allocateDirect(1 << 16);
        try {
            while (selector.isOpen()) {
                selector.select(200);
                if (!selector.isOpen()) {
                    return;
                }
                for (SelectionKey k : selector.selectedKeys()) {
                    SocketChannel s = (SocketChannel) k.channel();
                    int n = -1;
                    try {
                        while ((n = s.read(scratch.clear())) > 0) {
                            sseBytes.addAndGet(n);
                        }
                    } catch (IOException e) {
                        n = -1; // reset by the server (the run ended): this client is done
                    }
                    if (n < 0) {
                        k.cancel();
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | java.nio.channels.ClosedSelectorException e) {
            // closed under us by close(): the load is over
        }
    }

    @Override
    public void close() {
        channels.forEach(ManagedChannel::shutdownNow);
        try {
            selector.close();
            for (SocketChannel s : sockets) {
                s.close();
            }
            sseReader.join(5_000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
