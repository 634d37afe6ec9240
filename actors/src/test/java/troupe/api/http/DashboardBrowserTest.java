package troupe.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import troupe.proto.v1.CriticStats;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import troupe.api.LearnerEventHub;
import troupe.api.TestEvents;
import troupe.cli.TinyModels;
import troupe.config.TroupeConfig;
import troupe.config.TroupeSettings;
import troupe.pipeline.EmbeddedRunControl;
import troupe.pipeline.LocalEngines;
import troupe.pipeline.Run;

/**
 * The live page in headless Chromium while events are published — synthetic ones, then a short
 * real run: the charts receive points over SSE, draw them, and screenshots are kept at
 * target/dashboard*.png for a human to look at.
 */
class DashboardBrowserTest {
    private static final int HISTORY = 40;

    @TempDir
    Path work;

    @Test
    @Timeout(120)
    void pageChartsLiveEvents() throws Exception {
        Optional<Path> chromium = HeadlessChromium.find();
        assumeTrue(chromium.isPresent(), "chromium is not installed");
        try (DashboardFixture f = new DashboardFixture(new LearnerEventHub(2000, 256))) {
            for (long step = 1; step <= HISTORY; step++) {
                f.hub.publish(TestEvents.step(step, 8));
            }
            AtomicBoolean publishing = new AtomicBoolean(true);
            Thread learner = new Thread(() -> {
                for (long step = HISTORY + 1; publishing.get(); step++) {
                    // live steps of a PPO-GAE run: its critic appears on the algorithm card
                    f.hub.publish(TestEvents.step(step, 8).toBuilder().setCritic(CriticStats.newBuilder()
                            .setPresent(true).setExplainedVariance(Math.min(0.9, 0.01 * step))
                            .setValueClipFraction(0.1)).build());
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            learner.start();
            try (HeadlessChromium page = new HeadlessChromium(chromium.get(), f.url("/"), work)) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                int events = 0;
                while (events < HISTORY + 10 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                    events = Integer.parseInt(page.evaluate("(document.body && document.body.dataset.events) || '0'"));
                }
                assertTrue(events >= HISTORY + 10, "page received replayed and live events: " + events);
                Thread.sleep(400); // one more throttled redraw
                int points = Integer.parseInt(page.evaluate("document.body.dataset.points"));
                assertTrue(points > events, "points: " + points);
                assertEquals("live", page.evaluate("document.getElementById('status').textContent"));
                assertEquals("2", page.evaluate("String(document.querySelectorAll('#rewards canvas').length)"));
                assertTrue(page.evaluate("document.getElementById('run').textContent").startsWith("run test-run · step "));
                assertEquals("false", page.evaluate("String(document.getElementById('algorithm-card').hidden)"));
                for (String chart : new String[] {"weights", "pareto", "kl", "entropy", "length", "throughput", "reward-correct",
                    "algorithm"}) {
                    int inked = Integer.parseInt(page.evaluate(inkedPixels(chart)));
                    assertTrue(inked > 500, chart + " chart drew " + inked + " pixels");
                }
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
                    assertEquals("2", page.evaluate("String(document.querySelectorAll('#rewards canvas').length)"));
                    assertTrue(page.evaluate("document.getElementById('run').textContent").startsWith("run browser · step "));
                    // GRPO with KL in the loss and no dynamic sampling reports nothing algorithm-specific
                    assertEquals("true", page.evaluate("String(document.getElementById('algorithm-card').hidden)"));
                    for (String chart : new String[] {"weights", "kl", "entropy", "length", "throughput",
                        "reward-correctness", "reward-brevity"}) {
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

    /** JS counting the non-transparent pixels of a canvas: proof that the chart drew something. */
    private static String inkedPixels(String canvasId) {
        return "(() => { const c = document.getElementById('" + canvasId + "');"
                + " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;"
                + " for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return String(n); })()";
    }

    private static Path target() throws Exception {
        Path t = Path.of(System.getProperty("basedir", "."), "target");
        Files.createDirectories(t);
        return t;
    }
}
