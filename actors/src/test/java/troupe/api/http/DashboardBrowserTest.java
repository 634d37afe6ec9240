package troupe.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import troupe.proto.v1.CriticStats;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import troupe.api.LearnerEventHub;
import troupe.cli.TinyModels;
import troupe.config.TroupeConfig;
import troupe.config.TroupeSettings;
import troupe.events.MetricsLog;
import troupe.pipeline.EmbeddedRunControl;
import troupe.pipeline.LocalEngines;
import troupe.pipeline.Run;

/**
 * The live page in headless Chromium while events are published — synthetic ones shaped like the
 * learner's, then a short real run: the charts receive points over SSE and draw them, the Pareto
 * axes name the objectives they plot, an objective that left is marked, the static view settles;
 * screenshots are kept at target/dashboard*.png for a human to look at.
 */
class DashboardBrowserTest {
    private static final int HISTORY = 40;
    private static final long STYLE_LEAVES_AT = HISTORY + 3;
    /** Charts drawn from every synthetic event (the algorithm card only with a critic). */
    private static final String[] CHARTS = {"weights", "pareto", "reward", "loss", "optimizer", "clip", "kl",
        "approx-kl", "entropy", "length", "throughput", "stages", "reward-correct", "reward-length", "reward-style"};

    @TempDir
    Path work;

    @Test
    @Timeout(120)
    void pageChartsLiveEventsAndMarksAnObjectiveThatLeft() throws Exception {
        Optional<Path> chromium = HeadlessChromium.find();
        assumeTrue(chromium.isPresent(), "chromium is not installed");
        DashboardStory story = new DashboardStory(STYLE_LEAVES_AT);
        try (DashboardFixture f = new DashboardFixture(new LearnerEventHub(2000, 256))) {
            for (long step = 1; step <= HISTORY; step++) {
                f.hub.publish(story.step(step));
            }
            AtomicBoolean publishing = new AtomicBoolean(true);
            AtomicLong lastPublished = new AtomicLong(HISTORY);
            Thread learner = new Thread(() -> {
                for (long step = HISTORY + 1; publishing.get(); step++) {
                    // live steps of a PPO-GAE run: its critic appears on the algorithm card
                    f.hub.publish(story.step(step).toBuilder().setCritic(CriticStats.newBuilder()
                            .setPresent(true).setExplainedVariance(Math.min(0.9, 0.01 * step))
                            .setValueClipFraction(0.1)).build());
                    lastPublished.set(step);
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            learner.start();
            try (HeadlessChromium page = new HeadlessChromium(chromium.get(), f.url("/"), work)) {
                int events = awaitEvents(page, HISTORY + 10, System.nanoTime() + TimeUnit.SECONDS.toNanos(60));
                assertTrue(events >= HISTORY + 10, "page received replayed and live events: " + events);
                assertEquals("", page.evaluate("document.body.dataset.error || ''"), "no script error");
                int before = seriesPoints(page, "loss");
                long growBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (seriesPoints(page, "loss") <= before && System.nanoTime() < growBy) {
                    Thread.sleep(100); // a loaded machine may take a while per redraw
                }
                assertTrue(seriesPoints(page, "loss") > before, "the loss chart kept growing past " + before + " points ("
                        + page.evaluate("document.body.dataset.events") + " events, error "
                        + page.evaluate("document.body.dataset.error || 'none'") + ")");
                publishing.set(false);
                learner.join(5_000);
                long last = lastPublished.get();
                awaitEvents(page, (int) last, System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
                Thread.sleep(400); // one more throttled redraw
                assertEquals("live", page.evaluate("document.getElementById('status').textContent"));
                assertTrue(page.evaluate("document.getElementById('run').textContent").startsWith("run test-run · step "));
                assertEquals("false", page.evaluate("String(document.getElementById('algorithm-card').hidden)"));
                assertEquals("true", page.evaluate("String(document.getElementById('config-card').hidden)"), "no config");
                for (String chart : CHARTS) {
                    assertTrue(seriesPoints(page, chart) >= 4, chart + " chart has " + seriesPoints(page, chart) + " points");
                    int inked = Integer.parseInt(page.evaluate(inkedPixels(chart)));
                    assertTrue(inked > 500, chart + " chart drew " + inked + " pixels");
                }
                assertEquals("0", page.evaluate(yAxisMin("throughput")), "throughput never drawn below zero");
                assertEquals("0", page.evaluate(yAxisMin("weights")));

                assertEquals("left", page.evaluate("document.getElementById('objective-style').className.split(' ')[1]"));
                assertEquals(Long.toString(STYLE_LEAVES_AT),
                        page.evaluate("document.getElementById('objective-style').dataset.leftAt"));
                assertTrue(page.evaluate("document.getElementById('objective-style').textContent")
                        .contains("left at step " + STYLE_LEAVES_AT));
                assertEquals("", page.evaluate("document.getElementById('objective-length').dataset.leftAt"));
                assertTrue(page.evaluate(seriesNames("weights")).contains("style (left at step " + STYLE_LEAVES_AT + ")"));

                // two objectives left: correct on x, length on y, each plotted in its own units
                assertEquals(Long.toString(last), page.evaluate("document.getElementById('pareto').dataset.step"));
                assertEquals("correct", page.evaluate("document.getElementById('pareto').dataset.x"));
                assertEquals("length", page.evaluate("document.getElementById('pareto').dataset.y"));
                assertEquals("true", page.evaluate("String(document.getElementById('pareto-pick').hidden)"));
                assertEquals("correct ↑|length ↓ lower is better", page.evaluate(paretoAxisNames()));
                assertFront(story.expectedFront(last, false), page.evaluate("document.getElementById('pareto').dataset.points"));

                Files.writeString(target().resolve("dashboard-dom.html"), page.evaluate("document.documentElement.outerHTML"));
                Path png = target().resolve("dashboard.png");
                Files.write(png, page.screenshotPng());
                assertTrue(Files.size(png) > 20_000, "screenshot " + png + " has " + Files.size(png) + " bytes");
            } finally {
                publishing.set(false);
                learner.join(5_000);
            }
        }
    }

    /**
     * A resumed run: the page's history is the metrics log (steps 1–30, written before the
     * resume) and the hub's ring (31–35). {@code ?static=1} draws them and closes nothing open,
     * so Chromium's own {@code --screenshot} finishes; three objectives get a pair picker.
     */
    @Test
    @Timeout(120)
    void staticPageSettlesWithTheHistoryOfAResumedRun() throws Exception {
        Optional<Path> chromium = HeadlessChromium.find();
        assumeTrue(chromium.isPresent(), "chromium is not installed");
        DashboardStory story = new DashboardStory(Long.MAX_VALUE);
        Path log = work.resolve("metrics.jsonl");
        try (MetricsLog metrics = MetricsLog.open(log)) {
            for (long step = 1; step <= 32; step++) {
                metrics.accept(story.step(step)); // 31 and 32 trained again after the resume
            }
        }
        Config runConfig = ConfigFactory.parseString("troupe { pipeline.group-size = 4, grpc.token = \"s3cret\" }");
        try (DashboardFixture f = new DashboardFixture(new LearnerEventHub(2000, 256), Optional.of(log),
                Optional.of(runConfig))) {
            for (long step = 31; step <= 35; step++) {
                f.hub.publish(story.step(step));
            }
            Path shot = target().resolve("dashboard-static.png");
            Files.deleteIfExists(shot);
            Process p = new ProcessBuilder(chromium.get().toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--no-first-run", "--user-data-dir=" + work.resolve("static-profile"), "--window-size=1280,1500",
                    "--hide-scrollbars", "--virtual-time-budget=10000", "--screenshot=" + shot, f.url("/?static=1"))
                    .redirectErrorStream(true).redirectOutput(work.resolve("static.log").toFile()).start();
            boolean exited = p.waitFor(60, TimeUnit.SECONDS);
            if (!exited) {
                p.destroyForcibly();
            }
            assertTrue(exited, "chromium --screenshot of the static page settled");
            assertTrue(Files.size(shot) > 20_000, "static screenshot has " + Files.size(shot) + " bytes");

            try (HeadlessChromium page = new HeadlessChromium(chromium.get(), f.url("/?static=1"), work)) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!"true".equals(page.evaluate("(document.body && document.body.dataset.settled) || ''"))
                        && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertEquals("35", page.evaluate("document.body.dataset.events"), "steps 1-35, each once");
                assertTrue(page.evaluate("document.getElementById('status').textContent").startsWith("static"));
                assertEquals("false", page.evaluate("String(document.getElementById('config-card').hidden)"));
                String shown = page.evaluate("document.getElementById('config').textContent");
                assertTrue(shown.contains("\"group-size\" : 4") && shown.contains(RunConfigView.REDACTED)
                        && !shown.contains("s3cret"), shown);
                assertEquals("false", page.evaluate("String(document.getElementById('pareto-pick').hidden)"));
                assertEquals("3", page.evaluate("String(document.getElementById('pareto-x').options.length)"));
                assertEquals("correct", page.evaluate("document.getElementById('pareto').dataset.x"));
                assertEquals("length", page.evaluate("document.getElementById('pareto').dataset.y"));
                // the front's first coordinate is style (scorer order): pick it for y
                page.evaluate("(() => { const s = document.getElementById('pareto-y'); s.value = '0';"
                        + " s.dispatchEvent(new Event('change')); return ''; })()");
                assertEquals("style", page.evaluate("document.getElementById('pareto').dataset.y"));
                assertEquals("correct ↑|style ↑", page.evaluate(paretoAxisNames()));
                assertFront(story.expectedFront(35, true), page.evaluate("document.getElementById('pareto').dataset.points"));

                String[] csv = page.evaluate("seriesCsv()").split("\n");
                assertEquals(36, csv.length, "a header and one row per step");
                assertTrue(csv[0].startsWith("step,"), csv[0]);
                List<String> header = List.of(csv[0].split(","));
                int gradNorm = header.indexOf("grad_norm");
                assertTrue(gradNorm > 0 && header.contains("objective.style.weight") && header.contains("stage.learn.ms"),
                        csv[0]);
                assertEquals(1 + 0.1 * 35, Double.parseDouble(csv[35].split(",")[gradNorm]), 1e-9);
                assertTrue(csv[35].startsWith("35,"), csv[35]);
            }
        }
    }

    /**
     * The same page during a short real run: a tiny random model trained by the real engines,
     * its events served from the run's own hub.
     */
    @Test
    @Timeout(120)
    void pageChartsARealRun() throws Exception {
        Optional<Path> chromium = HeadlessChromium.find();
        assumeTrue(chromium.isPresent(), "chromium is not installed");
        Path model = TinyModels.save(work.resolve("model"), 3);
        Config cfg = ConfigFactory.parseString("""
                troupe.run { steps = 400, heldout-prompts = 0, prompt-pool = 64, output-dir = "%s" }
                troupe.pipeline { prompts-per-step = 2, group-size = 4 }
                troupe.sampling.max-new-tokens = 6
                troupe.learner.micro-batch = 8
                troupe.checkpoint { every-n-steps = 0, on-shutdown = false }
                """.formatted(work.resolve("runs").toString().replace("\\", "/")))
                .withFallback(TroupeConfig.reference()).resolve();
        TroupeSettings s = TroupeSettings.fromConfig(cfg);
        try (LocalEngines engines = LocalEngines.load(cfg, s, model)) {
            Run run = Run.start(cfg, s, "browser", engines.components());
            try (DashboardFixture f = new DashboardFixture(run.hub())) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (run.hub().publishedCount() < 5 && System.nanoTime() < deadline) {
                    Thread.sleep(50); // some history for the page to replay
                }
                try (HeadlessChromium page = new HeadlessChromium(chromium.get(), f.url("/"), work)) {
                    int events = 0;
                    while (events < 15 && System.nanoTime() < deadline) {
                        Thread.sleep(100);
                        events = Integer.parseInt(page.evaluate("(document.body && document.body.dataset.events) || '0'"));
                    }
                    assertTrue(events >= 15, "page received replayed and live events: " + events);
                    Thread.sleep(400); // one more throttled redraw
                    assertEquals("live", page.evaluate("document.getElementById('status').textContent"));
                    assertEquals("2", page.evaluate("String(document.querySelectorAll('#rewards .objective').length)"));
                    assertTrue(page.evaluate("document.getElementById('run').textContent").startsWith("run browser · step "));
                    // GRPO with KL in the loss and no dynamic sampling reports nothing algorithm-specific
                    assertEquals("true", page.evaluate("String(document.getElementById('algorithm-card').hidden)"));
                    for (String chart : new String[] {"weights", "kl", "entropy", "length", "throughput", "loss",
                        "optimizer", "clip", "approx-kl", "stages", "reward-correctness", "reward-brevity"}) {
                        assertTrue(seriesPoints(page, chart) > 0, chart + " chart has no points");
                        int inked = Integer.parseInt(page.evaluate(inkedPixels(chart)));
                        assertTrue(inked > 500, chart + " chart drew " + inked + " pixels");
                    }
                    Files.write(target().resolve("dashboard-real-run.png"), page.screenshotPng());
                }
            } finally {
                // The engines' native memory is freed on leaving: the run must be over by then.
                new EmbeddedRunControl(run, s, List.of()).stop(false);
                run.result().toCompletableFuture().get(60, TimeUnit.SECONDS);
            }
        }
    }

    private static int awaitEvents(HeadlessChromium page, int atLeast, long deadline) throws Exception {
        int events = 0;
        while (events < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(100);
            events = Integer.parseInt(page.evaluate("(document.body && document.body.dataset.events) || '0'"));
        }
        return events;
    }

    /** The points an ECharts chart holds, summed over its series. */
    private static int seriesPoints(HeadlessChromium page, String id) throws Exception {
        return Integer.parseInt(page.evaluate("(() => { const c = echarts.getInstanceByDom(document.getElementById('"
                + id + "')); return String(c ? c.getOption().series.reduce((n, s) => n + s.data.length, 0) : 0); })()"));
    }

    private static String seriesNames(String id) {
        return "echarts.getInstanceByDom(document.getElementById('" + id + "')).getOption().series.map(s => s.name).join('|')";
    }

    private static String yAxisMin(String id) {
        return "String(echarts.getInstanceByDom(document.getElementById('" + id + "')).getOption().yAxis[0].min)";
    }

    private static String paretoAxisNames() {
        return "(() => { const o = echarts.getInstanceByDom(document.getElementById('pareto')).getOption();"
                + " return o.xAxis[0].name + '|' + o.yAxis[0].name; })()";
    }

    private static void assertFront(List<double[]> expected, String pointsJson) {
        JsonArray points = JsonParser.parseString(pointsJson).getAsJsonArray();
        assertEquals(expected.size(), points.size(), pointsJson);
        for (int i = 0; i < expected.size(); i++) {
            JsonArray p = points.get(i).getAsJsonArray();
            assertEquals(expected.get(i)[0], p.get(0).getAsDouble(), 1e-12, "x of point " + i + " in " + pointsJson);
            assertEquals(expected.get(i)[1], p.get(1).getAsDouble(), 1e-12, "y of point " + i + " in " + pointsJson);
        }
    }

    /** JS counting the non-transparent pixels of the canvas ECharts drew a chart on. */
    private static String inkedPixels(String chartId) {
        return "(() => { const c = document.querySelector('#" + chartId + " canvas');"
                + " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;"
                + " for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return String(n); })()";
    }

    private static Path target() throws Exception {
        Path t = Path.of(System.getProperty("basedir", "."), "target");
        Files.createDirectories(t);
        return t;
    }
}
