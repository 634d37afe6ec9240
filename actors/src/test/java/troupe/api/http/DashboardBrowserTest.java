package troupe.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static troupe.api.http.DashboardProbes.awaitEvents;
import static troupe.api.http.DashboardProbes.inkedPixels;
import static troupe.api.http.DashboardProbes.markLines;
import static troupe.api.http.DashboardProbes.paretoAxisNames;
import static troupe.api.http.DashboardProbes.seriesNames;
import static troupe.api.http.DashboardProbes.seriesPoints;
import static troupe.api.http.DashboardProbes.target;
import static troupe.api.http.DashboardProbes.yAxisMin;

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
                long samplesBefore = Long.parseLong(page.evaluate("document.getElementById('samples').dataset.step || '0'"));
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
                assertFalse(page.evaluate("document.getElementById('pareto-note').textContent").contains("not named"));
                assertFront(story.expectedFront(last, false), page.evaluate("document.getElementById('pareto').dataset.points"));

                assertSamplesAndLookBack(page, samplesBefore, last);
                assertMarkersDrawn(page, last);
                assertSmoothedLikeTensorBoard(page, last);
                assertAnyFieldIsOffered(page, last);

                Files.writeString(target().resolve("dashboard-dom.html"), page.evaluate("document.documentElement.outerHTML"));
                Path png = target().resolve("dashboard.png");
                Files.write(png, page.screenshotPng(1900)); // tall enough for the sample table: docs/dashboard.png
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
                    // the learner's own sample responses: four by default, scored by both objectives
                    assertEquals("5", page.evaluate("String(document.querySelectorAll('#samples tr').length)"));
                    String header = page.evaluate("[...document.querySelectorAll('#samples th')].map(c => c.textContent).join('|')");
                    assertTrue(header.matches("pick\\|group\\|reward\\|(correctness\\|brevity|brevity\\|correctness)"
                            + "\\|tokens\\|prompt\\|response"), header); // columns in the order the scorers delivered
                    assertTrue(page.evaluate("document.querySelectorAll('#samples tr')[1].cells[2].textContent")
                            .matches("-?[0-9.e+-]+"), "the engine's scalar reward of the sample");
                    Files.write(target().resolve("dashboard-real-run.png"), page.screenshotPng());
                }
            } finally {
                // The engines' native memory is freed on leaving: the run must be over by then.
                new EmbeddedRunControl(run, s, List.of()).stop(false);
                run.result().toCompletableFuture().get(60, TimeUnit.SECONDS);
            }
        }
    }

    /** The table shows the latest step's samples, grew with the live steps, and looks back on request. */
    private static void assertSamplesAndLookBack(HeadlessChromium page, long before, long last) throws Exception {
        assertEquals("false", page.evaluate("String(document.getElementById('samples-card').hidden)"));
        assertEquals(Long.toString(last), page.evaluate("document.getElementById('samples').dataset.step"));
        assertTrue(last > before, "the table followed the live steps from " + before + " to " + last);
        assertEquals("3", page.evaluate("String(document.querySelectorAll('#samples tr').length)"), "a header and two samples");
        assertEquals("pick|group|reward|correct|length|tokens|prompt|response",
                page.evaluate("[...document.querySelectorAll('#samples th')].map(c => c.textContent).join('|')"));
        String best = page.evaluate("[...document.querySelectorAll('#samples tr')[1].cells].map(c => c.textContent).join('|')");
        assertEquals(String.join("|", "best", "0", "0.800", fmt(DashboardStory.correct(last) + 0.2),
                fmt(DashboardStory.length(last)), "5", "What is " + last + " + 1?", "best answer of step " + last), best);
        long back = last - 3;
        page.evaluate("(() => { const s = document.getElementById('sample-step'); s.value = '" + back + "';"
                + " s.dispatchEvent(new Event('change')); return ''; })()");
        assertEquals(Long.toString(back), page.evaluate("document.getElementById('samples').dataset.step"));
        assertTrue(page.evaluate("document.getElementById('samples').textContent").contains("worst answer of step " + back));
        assertEquals("21", page.evaluate("String(document.getElementById('sample-step').options.length)"),
                "latest and the 20 steps kept");
        page.evaluate("(() => { const s = document.getElementById('sample-step'); s.value = 'latest';"
                + " s.dispatchEvent(new Event('change')); return ''; })()");
    }

    /** fmtNum of dashboard.js for values in [0.01, 100): three decimals. */
    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.3f", v);
    }

    /** Checkpoints every ten steps and style's leaving are dashed lines on every step chart and listed; they switch off. */
    private static void assertMarkersDrawn(HeadlessChromium page, long last) throws Exception {
        StringBuilder expected = new StringBuilder();
        for (long step = DashboardStory.CHECKPOINT_EVERY; step < last; step += DashboardStory.CHECKPOINT_EVERY) {
            expected.append("checkpoint@").append(step).append(',');
            if (step == 40) {
                expected.append("scorer-left@").append(STYLE_LEAVES_AT).append(',');
            }
        }
        for (String chart : new String[] {"loss", "kl", "stages", "weights", "reward-correct"}) {
            assertEquals(expected.toString(), page.evaluate(markLines(chart)), chart);
        }
        assertEquals("false", page.evaluate("String(document.getElementById('markers-card').hidden)"));
        long newest = last - 1 - (last - 1) % DashboardStory.CHECKPOINT_EVERY; // the list shows the newest first
        assertEquals("step " + newest + " ckpt step-%09d".formatted(newest),
                page.evaluate("document.querySelector('#marker-list li').textContent"));
        page.evaluate("(() => { document.getElementById('show-markers').click(); return ''; })()");
        assertEquals("", page.evaluate(markLines("loss")), "markers switched off");
        page.evaluate("(() => { document.getElementById('show-markers').click(); return ''; })()");
        assertEquals(expected.toString(), page.evaluate(markLines("loss")));
    }

    /** Every number the events carry is offered, those no named chart draws too (critic.valueMean, clip.ratioMean). */
    private static void assertAnyFieldIsOffered(HeadlessChromium page, long last) throws Exception {
        String offered = "," + page.evaluate("document.getElementById('field-pick').dataset.names") + ",";
        for (String field : new String[] {"loss.gradNorm", "critic.valueMean", "clip.ratioMean", "policyLag",
            "zeroVarianceGroupFraction"}) {
            assertTrue(offered.contains("," + field + ","), field + " in " + offered);
        }
        assertFalse(offered.contains(",step,") || offered.contains(",unixMillis,"), offered);
        assertEquals("loss.gradNorm", page.evaluate("document.getElementById('field-pick').value"));
        assertEquals(1 + 0.1 * last, Double.parseDouble(page.evaluate("String(echarts.getInstanceByDom("
                + "document.getElementById('fields')).getOption().series.filter(s => s)[0].data.at(-1)[1])")), 1e-12);
    }

    /**
     * The grad norm curve is TensorBoard's debiased EMA at the default weight 0.6 over the raw
     * series drawn faint; at weight 0 the raw series alone.
     */
    private static void assertSmoothedLikeTensorBoard(HeadlessChromium page, long last) throws Exception {
        assertEquals("0.6", page.evaluate("document.body.dataset.smoothing"));
        double acc = 0;
        for (long step = 1; step <= last; step++) {
            acc = 0.6 * acc + 0.4 * (1 + 0.1 * step);
        }
        double expected = acc / (1 - Math.pow(0.6, last));
        String series = "echarts.getInstanceByDom(document.getElementById('optimizer')).getOption().series.filter(s => s)";
        assertEquals(expected, Double.parseDouble(page.evaluate("String(" + series + ".find(s => s.id === 'grad_norm').data.at(-1)[1])")),
                1e-9);
        assertEquals(1 + 0.1 * last, Double.parseDouble(
                page.evaluate("String(" + series + ".find(s => s.id === 'grad_norm~raw').data.at(-1)[1])")), 1e-12);
        page.evaluate("(() => { const s = document.getElementById('smoothing'); s.value = '0';"
                + " s.dispatchEvent(new Event('input')); return ''; })()");
        assertEquals("grad_norm|learning_rate", page.evaluate(series + ".map(s => s.id).join('|')"),
                page.evaluate("document.body.dataset.error || 'no script error'"));
        page.evaluate("(() => { const s = document.getElementById('smoothing'); s.value = '0.6';"
                + " s.dispatchEvent(new Event('input')); return ''; })()");
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
}
