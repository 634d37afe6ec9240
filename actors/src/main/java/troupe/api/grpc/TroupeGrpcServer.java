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

    private final Server server;
    private final ExecutorService watchExecutor;
    private final String token;

    /**
     * @param token bearer token for Control; blank = generate a random one and log it once, so a
     *     run started without one is still steerable by whoever can read its log, and by nobody else
     */
    public TroupeGrpcServer(ServerBuilder<?> builder, LearnerEventHub hub, RunControl control, String token) {
        this.token = token == null || token.isBlank() ? generatedToken() : token;
        AtomicInteger n = new AtomicInteger();
        this.watchExecutor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "troupe-watch-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.server = builder
                .addService(new LearnerStreamService(hub, watchExecutor))
                .addService(ServerInterceptors.intercept(new ControlService(control), new BearerTokenInterceptor(this.token)))
                .build();
    }

    public TroupeGrpcServer start() throws IOException {
        server.start();
        return this;
    }

    /** The bound port (useful with port 0); -1 for in-process servers. */
    public int port() {
        return server.getPort();
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
