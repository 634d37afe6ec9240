package troupe.api.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.completeOK;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.getFromResource;
import static org.apache.pekko.http.javadsl.server.Directives.getFromResourceDirectory;
import static org.apache.pekko.http.javadsl.server.Directives.parameterOptional;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.pathSingleSlash;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.marshalling.sse.EventStreamMarshalling;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.javadsl.Source;
import troupe.api.LearnerEventHub;
import troupe.proto.v1.LearnerEvent;

/**
 * The HTTP face of a run: the live page at {@code /} (static files under {@code web/}, drawn
 * with plain canvas so nothing comes from a CDN), LearnerEvents as JSON over Server-Sent Events
 * at {@code /events?replay=N}, Prometheus text at {@code /metrics} and {@code /healthz}.
 */
public final class DashboardServer {
    // Every field always present, so the page never has to guess a proto3 default.
    private static final JsonFormat.Printer JSON =
            JsonFormat.printer().alwaysPrintFieldsWithNoPresence().omittingInsignificantWhitespace();

    private final LearnerEventHub hub;
    private final HttpSettings settings;

    public DashboardServer(LearnerEventHub hub, HttpSettings settings) {
        this.hub = hub;
        this.settings = settings;
    }

    /** Binds {@code settings.host():settings.port()}; unbind the answer to stop. */
    public CompletionStage<ServerBinding> start(ClassicActorSystemProvider system) {
        return Http.get(system).newServerAt(settings.host(), settings.port()).bind(routes());
    }

    public Route routes() {
        return get(() -> concat(
                pathSingleSlash(() -> getFromResource("web/index.html", ContentTypes.TEXT_HTML_UTF8)),
                pathPrefix("web", () -> getFromResourceDirectory("web")),
                path("events", () -> parameterOptional("replay", replay ->
                        completeOK(events(replay.map(DashboardServer::nonNegative).orElse(0L)),
                                EventStreamMarshalling.toEventStream()))),
                path("metrics", () -> complete(
                        HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, PrometheusMetrics.render(hub)))),
                path("healthz", () -> complete("ok\n"))));
    }

    /** One hub subscription per SSE client, closed when the client goes away. */
    Source<ServerSentEvent, NotUsed> events(long replay) {
        return Source.<LearnerEvent, LearnerEventHub.Subscription>unfoldResourceAsync(
                        () -> CompletableFuture.completedFuture(hub.subscribe(replay)),
                        LearnerEventHub.Subscription::next,
                        sub -> {
                            sub.close();
                            return CompletableFuture.completedFuture(Done.getInstance());
                        })
                .map(e -> ServerSentEvent.create(json(e), Optional.empty(), Optional.of(Long.toString(e.getStep())),
                        java.util.OptionalInt.empty()))
                .keepAlive(settings.sseKeepAlive(), ServerSentEvent::heartbeat);
    }

    static String json(LearnerEvent e) {
        try {
            return JSON.print(e);
        } catch (InvalidProtocolBufferException ex) {
            // Only possible with Any fields whose types are unknown; LearnerEvent has none.
            throw new IllegalStateException("cannot print LearnerEvent as JSON", ex);
        }
    }

    private static long nonNegative(String s) {
        try {
            return Math.max(0, Long.parseLong(s));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
