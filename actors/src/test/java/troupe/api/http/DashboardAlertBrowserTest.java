package troupe.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static troupe.api.http.DashboardProbes.awaitEvents;
import static troupe.api.http.DashboardProbes.markLines;
import static troupe.api.http.DashboardProbes.target;

import com.google.protobuf.util.JsonFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import troupe.api.LearnerEventHub;
import troupe.proto.v1.LearnerEvent;

/** The page's alert banner and alert markers in headless Chromium. */
class DashboardAlertBrowserTest {
    private static final String MARKED = "checkpoint@10,checkpoint@20,checkpoint@30,checkpoint@40,entropy-collapse@41,"
            + "topk-mass@42,";
    @TempDir
    Path work;

    /**
     * Health alerts reach the page as LearnerEvent.alerts (every active alert in each event, each
     * with the step it was raised at), published through the real hub and SSE: the banner lists the
     * latest event's alerts, critical first, each alert is marked once at its step, and the banner
     * goes when an event carries none.
     */
    @Test
    @Timeout(120)
    void alertBannerShowsTheLatestEventsAlertsAndMarksWhereTheyWereRaised() throws Exception {
        Optional<Path> chromium = HeadlessChromium.find();
        assumeTrue(chromium.isPresent(), "chromium is not installed");
        DashboardStory story = new DashboardStory(Long.MAX_VALUE);
        String entropy = "{\"kind\":\"entropy-collapse\",\"severity\":\"critical\",\"reason\":\"entropy 0.03 < 0.10\","
                + "\"step\":\"41\"}";
        String topk = "{\"kind\":\"topk-mass\",\"severity\":\"warning\",\"reason\":\"top-k mass 0.991 > 0.98\",\"step\":\"42\"}";
        try (DashboardFixture f = new DashboardFixture(new LearnerEventHub(2000, 256))) {
            for (long step = 1; step <= 40; step++) {
                f.hub.publish(story.step(step));
            }
            try (HeadlessChromium page = new HeadlessChromium(chromium.get(), f.url("/"), work)) {
                assertEquals(40, awaitEvents(page, 40, System.nanoTime() + TimeUnit.SECONDS.toNanos(60)));
                Thread.sleep(400);
                assertEquals("true", page.evaluate("String(document.getElementById('alerts').hidden)"));
                f.hub.publish(withAlerts(story.step(41), entropy));
                f.hub.publish(withAlerts(story.step(42), topk + "," + entropy));
                awaitEvents(page, 42, System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
                Thread.sleep(400);
                assertEquals("false", page.evaluate("String(document.getElementById('alerts').hidden)"));
                assertEquals("entropy-collapse,topk-mass", page.evaluate("document.getElementById('alerts').dataset.kinds"));
                assertEquals("banner critical", page.evaluate("document.getElementById('alerts').className"));
                assertEquals("⚠ critical · entropy-collapse since step 41: entropy 0.03 < 0.10",
                        page.evaluate("document.querySelector('#alerts .alert').textContent"));
                assertEquals(MARKED, page.evaluate(markLines("loss")), "each alert marked once, at the step it was raised");
                // tall enough for the sample table: this is docs/dashboard.png
                Files.write(target().resolve("dashboard-alert.png"), page.screenshotPng(1900));

                f.hub.publish(story.step(43));
                awaitEvents(page, 43, System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
                Thread.sleep(400);
                assertEquals("true", page.evaluate("String(document.getElementById('alerts').hidden)"), "cleared");
                assertEquals(MARKED, page.evaluate(markLines("loss")));
            }
        }
    }

    /** {@code e} with LearnerEvent.alerts given as the JSON the page receives. */
    private static LearnerEvent withAlerts(LearnerEvent e, String alerts) throws Exception {
        LearnerEvent.Builder b = e.toBuilder();
        JsonFormat.parser().merge("{\"alerts\":[" + alerts + "]}", b);
        return b.build();
    }
}
