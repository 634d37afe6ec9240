package troupe.cluster.bulk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import troupe.cluster.serialization.KryoStreams;

/**
 * A byte path beside Artery for the cluster's large messages (rollout batches, 2 MB each).
 * Artery moves them at a fraction of a plain socket's rate (two whole-message copies, 128 KiB
 * reads, several thread hand-offs per message: BENCHMARKS.md). Instead, the node that produced a
 * batch {@link #offer offers} it and sends only the {@link BulkRef} over Artery; the node that
 * wants it {@link #fetch fetches} it from the producer's bulk server, which serialises straight
 * into the socket while the fetcher decodes — pulled, so the fetcher's pace is the backpressure.
 *
 * <p>Control stays on Artery: who asks whom, timeouts, node loss. A fetch from a node that died
 * fails like a lost reply (the batch is re-admitted); an offer never fetched is dropped after
 * {@code troupe.bulk.retention}. The server starts on the first offer; a node that only fetches
 * (the learner's) never listens. Same-JVM messages never come here ({@link #offersTo}).
 */
public final class BulkChannel implements Extension {
    private static final ExtensionId<BulkChannel> ID = new ExtensionId<>() {
        @Override
        public BulkChannel createExtension(ActorSystem<?> system) {
            BulkChannel channel = new BulkChannel(system);
            system.getWhenTerminated().thenRun(channel::close);
            return channel;
        }
    };

    private static final Logger LOG = LoggerFactory.getLogger(BulkChannel.class);
    private final ActorSystem<?> system;
    private final BulkSettings settings;
    private final ExecutorService threads;
    private final BulkAuth auth;
    private final BulkClient client;
    private BulkServer server;

    private BulkChannel(ActorSystem<?> system) {
        this.system = system;
        this.settings = BulkSettings.fromConfig(system.settings().config(), system.name());
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "troupe-bulk-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.auth = new BulkAuth(settings.secret());
        if (settings.derivedSecret() && settings.enabled()) {
            LOG.warn("troupe.bulk.secret is not set (nor env {}): the bulk channel's secret is derived from the "
                    + "cluster's name, which keeps clusters apart but keeps nobody out; set one where the network is shared",
                    BulkSettings.SECRET_ENV);
        }
        this.client = new BulkClient(settings.fetchTimeout(), auth, settings.maxFetchBytes(), () -> KryoStreams.kryo(system));
    }

    public static BulkChannel get(ActorSystem<?> system) {
        return ID.apply(system);
    }

    /** Whether a message to {@code target} should carry a handle: the channel is on and the target is on another node. */
    public boolean offersTo(ActorRef<?> target) {
        return settings.enabled() && target.path().address().hasGlobalScope();
    }

    /**
     * Holds {@code value} for one fetch, starting this node's bulk server if it is not running.
     *
     * @throws UncheckedIOException the server cannot listen (send the value inline instead)
     */
    public synchronized BulkRef offer(Object value) {
        if (server == null) {
            var config = system.settings().config();
            String host = system.address().getHost().orElse("127.0.0.1");
            String bind = config.getString("pekko.remote.artery.bind.hostname");
            try {
                server = new BulkServer(bind.isEmpty() ? host : bind, host, settings.port(), settings.retention(),
                        auth, () -> KryoStreams.kryo(system), threads);
            } catch (IOException e) {
                throw new UncheckedIOException("troupe.bulk.port: cannot listen on " + host + ":" + settings.port(), e);
            }
            LOG.info("bulk channel listening on {}:{}", host, server.port());
        }
        return server.offer(value);
    }

    /** Fetches the object behind {@code ref} on a bulk thread; fails if it is not a {@code type}. */
    public <T> CompletionStage<T> fetch(BulkRef ref, Class<T> type) {
        return CompletableFuture.supplyAsync(() -> {
            Object value;
            try {
                value = client.fetch(ref);
            } catch (IOException e) {
                throw new CompletionException(e);
            }
            if (!type.isInstance(value)) {
                throw new CompletionException(new IOException("bulk fetch of " + ref + ": a "
                        + value.getClass().getName() + ", not a " + type.getName()));
            }
            return type.cast(value);
        }, threads);
    }

    /** Objects offered by this node and not yet fetched or dropped. */
    public synchronized int heldCount() {
        return server == null ? 0 : server.heldCount();
    }

    private synchronized void close() {
        client.close();
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                // the JVM is going down with it
            }
        }
        threads.shutdownNow();
    }
}
