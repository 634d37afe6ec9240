package troupe.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import troupe.api.LearnerEventHub;
import troupe.api.TestEvents;

/**
 * The live page in headless Chromium while events are published: the charts receive points
 * over SSE, draw them, and a screenshot is kept at target/dashboard.png for a human to look at.
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
                    f.hub.publish(TestEvents.step(step, 8));
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
                for (String chart : new String[] {"weights", "pareto", "kl", "entropy", "length", "throughput", "reward-correct"}) {
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
