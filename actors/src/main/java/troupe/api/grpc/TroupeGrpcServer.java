package troupe.api.grpc;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptors;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import troupe.api.LearnerEventHub;
import troupe.api.RunControl;

/**
 * Troupe's gRPC endpoint: {@code LearnerStream} (open, read-only) and {@code Control} (behind a
 * bearer token). It takes a {@link ServerBuilder} so tests run it in-process and a node runs it
 * on Netty ({@link GrpcTransport#serverBuilder}).
 */
public final class TroupeGrpcServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TroupeGrpcServer.class);
    /** Grace period for in-flight unary calls at shutdown; Watch streams are cut after it. */
    private static final long SHUTDOWN_GRACE_MILLIS = 2_000;
    /** gRPC-Java's own default inbound limit (GrpcUtil.DEFAULT_MAX_MESSAGE_SIZE). */
    private static final int DEFAULT_MAX_INBOUND_BYTES = 4 * 1024 * 1024;

    private final Server server;
    private final ExecutorService watchExecutor;
    private final String token;

    /**
     * A server with gRPC's default inbound limit (4 MiB) and no cap on Watch calls: tests and
     * embedders that set their own limits on {@code builder}.
     *
     * @param token bearer token for Control; blank = generate a random one and log it once, so a
     *     run started without one is still steerable by whoever can read its log, and by nobody else
     */
    public TroupeGrpcServer(ServerBuilder<?> builder, LearnerEventHub hub, RunControl control, String token) {
        this(builder, hub, control, token, DEFAULT_MAX_INBOUND_BYTES, Integer.MAX_VALUE);
    }

    /**
     * @param maxInboundMessageBytes largest request the server reads (troupe.grpc.max-inbound-message-bytes)
     * @param maxWatchSubscribers Watch calls served at once (troupe.grpc.max-watch-subscribers)
     */
    public TroupeGrpcServer(ServerBuilder<?> builder, LearnerEventHub hub, RunControl control, String token,
            int maxInboundMessageBytes, int maxWatchSubscribers) {
        this.token = token == null || token.isBlank() ? generatedToken() : token;
        AtomicInteger n = new AtomicInteger();
        this.watchExecutor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "troupe-watch-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.server = builder
                .maxInboundMessageSize(maxInboundMessageBytes)
                .addService(new LearnerStreamService(hub, watchExecutor, maxWatchSubscribers))
                .addService(ServerInterceptors.intercept(new ControlService(control), new BearerTokenInterceptor(this.token)))
                .build();
    }

    /** The server of a run, with the limits of its {@code troupe.grpc} block. */
    public static TroupeGrpcServer of(GrpcSettings s, LearnerEventHub hub, RunControl control) {
        return new TroupeGrpcServer(GrpcTransport.serverBuilder(s), hub, control, s.token(),
                s.maxInboundMessageBytes(), s.maxWatchSubscribers());
    }

    public TroupeGrpcServer start() throws IOException {
        server.start();
        return this;
    }

    /** The bound port (useful with port 0); -1 for in-process servers. */
    public int port() {
        return server.getPort();
    }

    /** The address the server listens on (the first, for a server on several). */
    public java.net.SocketAddress listenAddress() {
        return server.getListenSockets().get(0);
    }

    /** The token Control calls must carry. */
    public String token() {
        return token;
    }

    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    @Override
    public void close() {
        server.shutdown();
        try {
            if (!server.awaitTermination(SHUTDOWN_GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
                server.shutdownNow();
                server.awaitTermination(SHUTDOWN_GRACE_MILLIS, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            watchExecutor.shutdownNow();
        }
    }

    private static String generatedToken() {
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        String t = HexFormat.of().formatHex(b);
        log.warn("no Control token configured (troupe.grpc.token or TROUPE_TOKEN); generated one for this run: {}", t);
        return t;
    }
}
