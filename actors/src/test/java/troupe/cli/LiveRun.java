package troupe.cli;

import io.grpc.ManagedChannel;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import troupe.api.HostPort;
import troupe.api.grpc.BearerToken;
import troupe.api.grpc.GrpcTransport;
import troupe.proto.v1.ControlGrpc;

/**
 * A real {@code troupe run} in this JVM on a background thread, with its servers on free ports:
 * the test reads the gRPC and dashboard ports from what the command prints, as a user would.
 */
final class LiveRun implements AutoCloseable {
    static final String TOKEN = "test-token";
    /** Small steps of a tiny random model; servers on free ports. */
    static final String CONFIG = """
            troupe.pipeline { prompts-per-step = 2, group-size = 4 }
            troupe.sampling.max-new-tokens = 6
            troupe.run { heldout-prompts = 0, prompt-pool = 64 }
            troupe.learner.micro-batch = 8
            troupe.checkpoint.every-n-steps = 0
            troupe.grpc { port = 0, token = "%s" }
            troupe.http.port = 0
            """.formatted(TOKEN);
    private static final Pattern GRPC = Pattern.compile("grpc\\s+127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern HTTP = Pattern.compile("dashboard\\s+http://127\\.0\\.0\\.1:(\\d+)/");

    // StringWriter is synchronised: the test reads while the command writes.
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final CompletableFuture<Integer> status;
    final Path runDir;
    private ManagedChannel channel;

    private LiveRun(Path dir, String id, int steps, String hocon) throws IOException {
        Path model = dir.resolve("model");
        if (!Files.exists(model)) {
            TinyModels.save(model, 3);
        }
        Path conf = Files.writeString(dir.resolve(id + ".conf"), CONFIG + hocon);
        runDir = dir.resolve("runs").resolve(id);
        String[] args = {"run", "--config", conf.toString(), "--model", model.toString(), "--out",
            dir.resolve("runs").toString(), "--run-id", id, "--steps", Integer.toString(steps)};
        status = CompletableFuture.supplyAsync(
                () -> Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args));
    }

    static LiveRun start(Path dir, String id, int steps, String hocon) throws IOException {
        return new LiveRun(dir, id, steps, hocon);
    }

    int grpcPort() throws InterruptedException {
        return printedPort(GRPC);
    }

    int httpPort() throws InterruptedException {
        return printedPort(HTTP);
    }

    /** One Netty channel to the run's gRPC server, shared by every stub. */
    synchronized ManagedChannel channel() throws InterruptedException {
        if (channel == null) {
            channel = GrpcTransport.channel(new HostPort("127.0.0.1", grpcPort()), Optional.empty());
        }
        return channel;
    }

    /** A Control stub with the token and a fresh deadline: take one per call. */
    ControlGrpc.ControlBlockingStub control() throws InterruptedException {
        return ControlGrpc.newBlockingStub(channel()).withCallCredentials(new BearerToken(TOKEN))
                .withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    private int printedPort(Pattern p) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Matcher m = p.matcher(err.toString());
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            if (status.isDone()) {
                throw new AssertionError("troupe run ended before its servers were up: " + err);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no port printed: " + err);
    }

    @Override
    public synchronized void close() {
        if (channel != null) {
            channel.shutdownNow();
        }
    }
}
