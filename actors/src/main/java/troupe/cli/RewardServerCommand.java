package troupe.cli;

import com.typesafe.config.Config;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import troupe.api.remote.RewardScorerService;
import troupe.config.TroupeConfig;
import troupe.core.reward.RewardScorer;
import troupe.core.reward.ScorerRegistry;

/** {@code troupe reward-server}: serves a registered scorer over RewardService so it can run on another machine. */
@Command(name = "reward-server", description = {
    "Serve a registered reward scorer over gRPC RewardService.",
    "NAME is a registered scorer or a plugin class name. Add the server",
    "to a running job with Control.AddRemoteScorer. Prints its address and runs",
    "until SIGTERM."})
final class RewardServerCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(RewardServerCommand.class);
    /** In-flight Score calls get this long to finish on SIGTERM. */
    private static final long DRAIN_SECONDS = 5;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--scorer", required = true, paramLabel = "NAME", description = "registered scorer name")
    String scorer;

    @Option(names = "--port", defaultValue = "50051", paramLabel = "P",
            description = "port to listen on; 0 = any free port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDR",
            description = "address to bind (default: ${DEFAULT-VALUE}, this machine only; "
                    + "0.0.0.0 = every interface, for a scorer other machines call)")
    String host;

    @Option(names = "--config", paramLabel = "FILE",
            description = "HOCON file; the scorer takes its entry { scorer = NAME, ... } of troupe.rewards.scorers")
    Path config;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RewardScorer instance;
        try {
            Config all = TroupeConfig.load(config);
            instance = ScorerRegistry.fromClasspath().withDefaultsOf(all)
                    .create(ScorerRegistry.declared(all, scorer, "--scorer " + scorer));
        } catch (RuntimeException e) {
            err.println("error: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
                .addService(new RewardScorerService(instance, VersionCommand.lines()[0]))
                .build()
                .start();
        String objective = instance.objective().name() + " (" + instance.objective().direction().name().toLowerCase() + ")";
        out.println("reward-server: scorer " + scorer + ", objective " + objective + ", listening on " + host + ":"
                + server.getPort());
        out.flush();
        log.info("serving scorer {} on {}:{}", scorer, host, server.getPort());
        Thread hook = new Thread(() -> drain(server), "reward-server-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            server.awaitTermination();
        } catch (InterruptedException e) {
            // Embedded use (tests, a host application) stops us by interrupting instead of SIGTERM.
            drain(server);
            Runtime.getRuntime().removeShutdownHook(hook);
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static void drain(Server server) {
        server.shutdown();
        try {
            if (!server.awaitTermination(DRAIN_SECONDS, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
        }
    }
}
