package troupe.api.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.completeOK;
import static org.apache.pekko.http.javadsl.server.Directives.completeWithFuture;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.getFromResource;
import static org.apache.pekko.http.javadsl.server.Directives.getFromResourceDirectory;
import static org.apache.pekko.http.javadsl.server.Directives.parameterOptional;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.pathSingleSlash;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.typesafe.config.Config;
import java.nio.file.Path;
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
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.javadsl.Source;
import troupe.api.LearnerEventHub;
import troupe.api.RunControl;
import troupe.api.grpc.ControlReplies;
import troupe.proto.v1.LearnerEvent;

/**
 * The HTTP face of a run: the live page at {@code /} (static files under {@code web/}, charts by
 * ECharts served from its WebJar so nothing comes from a CDN), the run's past steps as a JSON
 * array at {@code /history?replay=N} (its metrics log plus the hub's ring), its settings at
 * {@code /config} (secrets redacted), the run's Control status at {@code /status} (the JSON of
 * {@code StatusResponse}: state, which roles the run needs and which it waits for — between steps,
 * when no event comes), LearnerEvents as JSON over Server-Sent Events at
 * {@code /events?replay=N}, Prometheus text at {@code /metrics} and {@code /healthz}.
 */
public final class DashboardServer {
    // Every field always present, so the page never has to guess a proto3 default.
    private static final JsonFormat.Printer JSON =
            JsonFormat.printer().alwaysPrintFieldsWithNoPresence().omittingInsignificantWhitespace();

    /** The library inside the {@code org.webjars.npm:echarts} jar; the version is actors/pom.xml's. */
    private static final String ECHARTS = "META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";

    private final LearnerEventHub hub;
    private final HttpSettings settings;
    private final Optional<Path> metricsLog;
    private final Optional<String> configJson;
    private final Optional<RunControl> control;

    /** A server whose history is only the hub's ring (no metrics log to read), with no run config or status. */
    public DashboardServer(LearnerEventHub hub, HttpSettings settings) {
        this(hub, settings, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * @param metricsLog the run's {@code metrics.jsonl}, read on every {@code /history} request
     * @param runConfig the run's resolved config, served at {@code /config} with its secrets redacted
     * @param control the run's status, served at {@code /status} (read-only: no token, like Watch)
     */
    public DashboardServer(LearnerEventHub hub, HttpSettings settings, Optional<Path> metricsLog,
            Optional<Config> runConfig, Optional<RunControl> control) {
        this.hub = hub;
        this.settings = settings;
        this.metricsLog = metricsLog;
        this.configJson = runConfig.map(RunConfigView::json);
        this.control = control;
    }

    /** Binds {@code settings.host():settings.port()}; unbind the answer to stop. */
    public CompletionStage<ServerBinding> start(ClassicActorSystemProvider system) {
        return Http.get(system).newServerAt(settings.host(), settings.port()).bind(routes());
    }

    public Route routes() {
        return get(() -> concat(
                pathSingleSlash(() -> getFromResource("web/index.html", ContentTypes.TEXT_HTML_UTF8)),
                path(segment("web").slash("echarts.min.js"), () -> getFromResource(ECHARTS)),
                pathPrefix("web", () -> getFromResourceDirectory("web")),
                // Reads the whole log (~2 KB a step): off the routing threads.
                path("history", () -> parameterOptional("replay", replay -> completeWithFuture(
                        CompletableFuture.supplyAsync(() -> HttpResponse.create().withEntity(HttpEntities.create(
                                ContentTypes.APPLICATION_JSON, EventHistory.json(metricsLog, hub,
                                        replay.map(DashboardServer::nonNegative).orElse(0L)))))))),
                path("config", () -> configJson
                        .map(json -> complete(HttpEntities.create(ContentTypes.APPLICATION_JSON, json)))
                        .orElseGet(() -> complete(StatusCodes.NOT_FOUND, "this server has no run config\n"))),
                path("status", () -> control
                        .map(c -> completeWithFuture(c.status().thenApply(st -> HttpResponse.create().withEntity(
                                HttpEntities.create(ContentTypes.APPLICATION_JSON, print(ControlReplies.status(st)))))))
                        .orElseGet(() -> complete(StatusCodes.NOT_FOUND, "this server has no run status\n"))),
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
        return print(e);
    }

    private static String print(com.google.protobuf.MessageOrBuilder m) {
        try {
            return JSON.print(m);
        } catch (InvalidProtocolBufferException ex) {
            // Only possible with Any fields whose types are unknown; LearnerEvent and StatusResponse have none.
            throw new IllegalStateException("cannot print " + m.getDescriptorForType().getName() + " as JSON", ex);
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
