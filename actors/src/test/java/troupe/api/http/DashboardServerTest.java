package troupe.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.util.JsonFormat;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import troupe.api.FakeRunControl;
import troupe.api.LearnerEventHub;
import troupe.api.RunRoles;
import troupe.api.TestEvents;
import troupe.events.MetricsLog;
import troupe.proto.v1.LearnerEvent;
import troupe.proto.v1.StatusResponse;

class DashboardServerTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private DashboardFixture f;

    @BeforeEach
    void start() throws Exception {
        f = new DashboardFixture(new LearnerEventHub(100, 2));
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(f.url(path))).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthzAnswersOk() throws Exception {
        HttpResponse<String> r = get("/healthz");
        assertEquals(200, r.statusCode());
        assertEquals("ok\n", r.body());
    }

    @Test
    void metricsHasOnlyHubCountersBeforeTheFirstEvent() throws Exception {
        String body = get("/metrics").body();
        assertTrue(body.contains("troupe_learner_events_published_total 0\n"), body);
        assertFalse(body.contains("troupe_step"), "no made-up step before the first event");
    }

    @Test
    void metricsExposeTheLatestEventAsPrometheusText() throws Exception {
        LearnerEventHub.Subscription idle = f.hub.subscribe(0); // never reads: its buffer of 2 overflows
        for (long step = 1; step <= 5; step++) {
            f.hub.publish(TestEvents.step(step));
        }
        LearnerEvent last = TestEvents.step(5);
        HttpResponse<String> r = get("/metrics");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/plain"));
        String body = r.body();
        for (String line : List.of(
                "# TYPE troupe_step gauge",
                "troupe_step 5",
                "troupe_objective_reward_mean{objective=\"correct\"} " + PrometheusMetrics.number(last.getObjectives(0).getRawMean()),
                "troupe_objective_weight{objective=\"length\"} " + PrometheusMetrics.number(last.getObjectives(1).getWeight()),
                "troupe_objective_heldout_mean{objective=\"correct\"} NaN",
                "troupe_kl " + PrometheusMetrics.number(last.getKl().getTokenMean()),
                "troupe_kl_budget " + PrometheusMetrics.number(last.getKl().getBudget()),
                "troupe_entropy " + PrometheusMetrics.number(last.getEntropy().getMean()),
                "troupe_samples_per_second " + PrometheusMetrics.number(last.getThroughput().getSamplesPerSecond()),
                "# TYPE troupe_stale_batches_dropped_total counter",
                "troupe_learner_events_published_total 5",
                "troupe_learner_events_missed_total 3",
                "troupe_learner_event_subscribers 1")) {
            assertTrue(body.contains(line + "\n"), "missing '" + line + "' in:\n" + body);
        }
        idle.close();
    }

    @Test
    @Timeout(30)
    void eventsStreamsReplayThenLiveEventsAsJson() throws Exception {
        f.hub.publish(TestEvents.step(1));
        f.hub.publish(TestEvents.step(2));
        f.hub.publish(TestEvents.step(3));
        HttpResponse<Stream<String>> r = http.send(
                HttpRequest.newBuilder(URI.create(f.url("/events?replay=2"))).build(), HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, r.statusCode());
        assertEquals("text/event-stream", r.headers().firstValue("content-type").orElse(""));
        Iterator<String> lines = r.body().iterator();
        List<LearnerEvent> got = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        while (got.size() < 3 || ids.size() < 3) {
            String line = lines.next();
            if (line.startsWith("data:")) {
                LearnerEvent.Builder b = LearnerEvent.newBuilder();
                JsonFormat.parser().merge(line.substring("data:".length()), b);
                got.add(b.build());
                if (got.size() == 2) {
                    f.hub.publish(TestEvents.step(4)); // live, after the replay
                }
            } else if (line.startsWith("id:")) {
                ids.add(line.substring(3).trim());
            }
        }
        assertEquals(List.of(2L, 3L, 4L), got.stream().map(LearnerEvent::getStep).toList());
        assertEquals(TestEvents.step(4), got.get(2), "JSON round-trips the whole event (NaN included)");
        assertEquals(List.of("2", "3", "4"), ids.subList(0, 3));
        r.body().close();
    }

    @Test
    void pageAndItsScriptsAreServedLocally() throws Exception {
        HttpResponse<String> page = get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("content-type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("<div class=\"chart\" id=\"pareto\">"));
        assertFalse(page.body().matches("(?s).*src=\"https?:.*"), "no script from another origin");
        for (String asset : List.of("/web/series.js", "/web/pareto.js", "/web/dashboard.js", "/web/roles.js",
                "/web/dashboard.css")) {
            assertEquals(200, get(asset).statusCode(), asset);
        }
        HttpResponse<String> echarts = get("/web/echarts.min.js"); // from the WebJar, not a CDN
        assertEquals(200, echarts.statusCode());
        assertTrue(echarts.headers().firstValue("content-type").orElse("").contains("javascript"));
        assertTrue(echarts.body().length() > 500_000 && echarts.body().contains("echarts"), "the ECharts bundle");
        assertEquals(404, get("/web/nope.js").statusCode());
    }

    @Test
    void configIsTheTroupeBlockWithItsSecretsRedacted() throws Exception {
        assertEquals(404, get("/config").statusCode(), "a bare hub has no run config");
        Config run = ConfigFactory.parseString("""
                troupe { grpc { token = "s3cret", port = 7070 }, scorers.judge.api-key = "k-123",
                         sampling.max-new-tokens = 16 }
                pekko.remote.secret = "not shown either: only the troupe block is"
                """).resolve();
        try (DashboardFixture withConfig = new DashboardFixture(new LearnerEventHub(10, 2), Optional.empty(),
                Optional.of(run))) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(withConfig.url("/config"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            JsonObject shown = JsonParser.parseString(r.body()).getAsJsonObject();
            assertEquals(RunConfigView.REDACTED, shown.getAsJsonObject("grpc").get("token").getAsString());
            assertEquals(7070, shown.getAsJsonObject("grpc").get("port").getAsInt());
            assertEquals(RunConfigView.REDACTED,
                    shown.getAsJsonObject("scorers").getAsJsonObject("judge").get("api-key").getAsString());
            assertEquals(16, shown.getAsJsonObject("sampling").get("max-new-tokens").getAsInt());
            assertFalse(r.body().contains("s3cret") || r.body().contains("k-123") || r.body().contains("pekko"), r.body());
        }
    }

    /** Control's status as JSON, for the page's roles line: state, what is present and waited for. */
    @Test
    void statusIsControlsStatusResponseAsJson() throws Exception {
        assertEquals(404, get("/status").statusCode(), "a bare hub has no run");
        FakeRunControl control = new FakeRunControl();
        control.readiness = new RunRoles(RunRoles.NEEDED, Map.of("generator", List.of("127.0.0.1:25522"),
                "reward", List.of("127.0.0.1:25523")), List.of("reference"));
        try (DashboardFixture withRun = new DashboardFixture(new LearnerEventHub(10, 2), Optional.empty(),
                Optional.empty(), Optional.of(control))) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(withRun.url("/status"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            StatusResponse.Builder shown = StatusResponse.newBuilder();
            JsonFormat.parser().merge(r.body(), shown);
            assertEquals("run-1", shown.getRunId());
            assertEquals(List.of("generator", "reward"), shown.getReadiness().getPresentList());
            assertEquals(List.of("reference"), shown.getReadiness().getWaitingForList());
            assertEquals(List.of("status"), control.calls);
        }
    }

    /** After a resume the page needs the steps before it: the metrics log, then the hub's ring on top. */
    @Test
    void historyJoinsTheMetricsLogAndTheHubRingOneEventPerStep(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("metrics.jsonl");
        try (MetricsLog metrics = MetricsLog.open(log)) {
            for (long step = 1; step <= 4; step++) {
                metrics.accept(TestEvents.step(step).toBuilder().setPolicyVersion(100 + step).build());
            }
        }
        Files.writeString(log, "{\"runId\":\"test-run\",\"st", StandardOpenOption.APPEND); // cut by a crash
        try (DashboardFixture resumed = new DashboardFixture(new LearnerEventHub(100, 2), Optional.of(log))) {
            for (long step = 4; step <= 6; step++) {
                resumed.hub.publish(TestEvents.step(step)); // step 4 trained again after the resume
            }
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(resumed.url("/history?replay=10")))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"));
            List<LearnerEvent> events = new ArrayList<>();
            for (var e : JsonParser.parseString(r.body()).getAsJsonArray()) {
                LearnerEvent.Builder b = LearnerEvent.newBuilder();
                JsonFormat.parser().merge(e.toString(), b);
                events.add(b.build());
            }
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), events.stream().map(LearnerEvent::getStep).toList());
            assertEquals(List.of(101L, 102L, 103L, 4L, 5L, 6L), events.stream().map(LearnerEvent::getPolicyVersion).toList(),
                    "the log for steps before the resume, the hub's event for a step trained again");
            assertEquals(TestEvents.step(2).toBuilder().setPolicyVersion(102).build(), events.get(1),
                    "a log line comes back whole, NaN included");
        }
        assertEquals("[]", get("/history").body(), "no log and nothing published: no history");
    }
}
