package troupe.cli;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.ServerBinding;
import troupe.api.RunControl;
import troupe.api.grpc.GrpcSettings;
import troupe.api.grpc.TroupeGrpcServer;
import troupe.api.http.DashboardServer;
import troupe.config.TroupeSettings;
import troupe.pipeline.Run;

/**
 * The endpoints of a run started by {@code troupe run}: gRPC (LearnerStream.Watch and Control)
 * and the HTTP dashboard, both reading the run's event hub. The dashboard has an ActorSystem of
 * its own, not the run's: the run's system terminates as soon as the last step is done (a short
 * run can be over before the servers are up), while the page should serve until {@link #close}.
 */
final class RunServers implements AutoCloseable {
    /** Longest the dashboard may take to bind or unbind on loopback. */
    private static final Duration BIND_TIMEOUT = Duration.ofSeconds(30);

    private final TroupeGrpcServer grpc;
    private final ActorSystem<Void> httpSystem;
    private final ServerBinding http;

    private RunServers(TroupeGrpcServer grpc, ActorSystem<Void> httpSystem, ServerBinding http) {
        this.grpc = grpc;
        this.httpSystem = httpSystem;
        this.http = http;
    }

    /**
     * Binds both servers and prints where they listen on {@code err}, with where the Control
     * token came from (a generated token is printed, since nobody else knows it).
     */
    static RunServers start(Run run, RunControl control, TroupeSettings s, Config merged, PrintWriter err)
            throws IOException {
        GrpcSettings g = s.grpc();
        TroupeGrpcServer grpc = TroupeGrpcServer.of(g, run.hub(), control).start();
        // A plain local system: the dashboard needs no cluster, whatever the run's config says.
        ActorSystem<Void> httpSystem = ActorSystem.create(Behaviors.empty(), "troupe-http",
                ConfigFactory.parseString("pekko.actor.provider = local").withFallback(merged));
        ServerBinding http;
        try {
            // The file Run appends to, so the page shows the steps from before a resume too.
            java.nio.file.Path log = s.run().outputDir().resolve(run.runId()).resolve(s.pipeline().metricsFile());
            http = new DashboardServer(run.hub(), s.http(), java.util.Optional.of(log), java.util.Optional.of(merged),
                    java.util.Optional.of(control))
                    .start(httpSystem).toCompletableFuture()
                    .get(BIND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            grpc.close();
            httpSystem.terminate();
            throw new IOException("cannot bind the dashboard on " + s.http().host() + ":" + s.http().port() + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        } catch (InterruptedException e) {
            grpc.close();
            httpSystem.terminate();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding the dashboard", e);
        }
        String tokenFrom = !merged.getString("troupe.grpc.token").isEmpty() ? "troupe.grpc.token"
                : !g.token().isEmpty() ? "env " + GrpcSettings.TOKEN_ENV
                : "generated for this run: " + grpc.token();
        err.printf("grpc       %s:%d (%s; Control token from %s)%n", g.host(), grpc.port(),
                g.tls() ? "TLS" : "plaintext", tokenFrom);
        InetSocketAddress a = http.localAddress();
        err.printf("dashboard  http://%s:%d/%n", s.http().host(), a.getPort());
        err.flush();
        return new RunServers(grpc, httpSystem, http);
    }

    int grpcPort() {
        return grpc.port();
    }

    int httpPort() {
        return http.localAddress().getPort();
    }

    @Override
    public void close() {
        grpc.close();
        try {
            http.unbind().toCompletableFuture().get(BIND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            httpSystem.terminate();
            httpSystem.getWhenTerminated().toCompletableFuture().get(BIND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Terminating the system closes the binding too; nothing else holds the port.
            httpSystem.terminate();
        }
    }
}
