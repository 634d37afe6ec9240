package troupe.api.http;

import com.typesafe.config.Config;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.ServerBinding;
import troupe.api.LearnerEventHub;
import troupe.api.RunControl;

/** A DashboardServer on a free loopback port with its own actor system. */
final class DashboardFixture implements AutoCloseable {
    final LearnerEventHub hub;
    final ActorSystem<Void> system;
    final ServerBinding binding;

    DashboardFixture(LearnerEventHub hub) throws Exception {
        this(hub, Optional.empty());
    }

    /** @param metricsLog the run's metrics.jsonl the page loads as history */
    DashboardFixture(LearnerEventHub hub, Optional<Path> metricsLog) throws Exception {
        this(hub, metricsLog, Optional.empty());
    }

    /** @param runConfig the run's config the page shows */
    DashboardFixture(LearnerEventHub hub, Optional<Path> metricsLog, Optional<Config> runConfig) throws Exception {
        this(hub, metricsLog, runConfig, Optional.empty());
    }

    /** @param control the run whose status the page polls at /status */
    DashboardFixture(LearnerEventHub hub, Optional<Path> metricsLog, Optional<Config> runConfig,
            Optional<RunControl> control) throws Exception {
        this.hub = hub;
        this.system = ActorSystem.create(Behaviors.empty(), "dashboard-test");
        this.binding = new DashboardServer(hub, new HttpSettings("127.0.0.1", 0, Duration.ofSeconds(1)), metricsLog,
                runConfig, control).start(system).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    String url(String path) {
        InetSocketAddress a = binding.localAddress();
        return "http://127.0.0.1:" + a.getPort() + path;
    }

    @Override
    public void close() throws Exception {
        hub.close();
        binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Manual look at the page: serves events published every 200 ms until killed. */
    public static void main(String[] args) throws Exception {
        DashboardFixture f = new DashboardFixture(new LearnerEventHub(2000, 256));
        System.out.println(f.url("/"));
        for (long step = 1; ; step++) {
            f.hub.publish(troupe.api.TestEvents.step(step, 8));
            Thread.sleep(step < 40 ? 0 : 200);
        }
    }
}
