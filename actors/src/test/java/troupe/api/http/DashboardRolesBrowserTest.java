package troupe.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static troupe.api.http.DashboardProbes.awaitEvents;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import troupe.api.FakeRunControl;
import troupe.api.LearnerEventHub;
import troupe.api.RunRoles;

/**
 * The page's roles line in headless Chromium: drawn from {@code /status}, polled, because a
 * learner that waits for a role publishes no event that could say so.
 */
class DashboardRolesBrowserTest {
    @TempDir
    Path work;

    @Test
    @Timeout(120)
    void rolesLineSaysWhatTheLearnerWaitsForAndClearsWhenTheRoleJoins() throws Exception {
        Optional<Path> chromium = HeadlessChromium.find();
        assumeTrue(chromium.isPresent(), "chromium is not installed");
        FakeRunControl control = new FakeRunControl();
        control.readiness = new RunRoles(RunRoles.NEEDED, Map.of("generator", List.of("127.0.0.1:25522"),
                "reward", List.of("127.0.0.1:25523")), List.of("reference"));
        DashboardStory story = new DashboardStory(Long.MAX_VALUE);
        try (DashboardFixture f = new DashboardFixture(new LearnerEventHub(2000, 256), Optional.empty(),
                Optional.empty(), Optional.of(control))) {
            for (long step = 1; step <= 5; step++) {
                f.hub.publish(story.step(step));
            }
            try (HeadlessChromium page = new HeadlessChromium(chromium.get(), f.url("/"), work)) {
                assertEquals(5, awaitEvents(page, 5, System.nanoTime() + TimeUnit.SECONDS.toNanos(60)));
                assertEquals("waiting for: reference · generator ✓ · reward ✓ · reference ✗", awaitRoles(page,
                        "waiting for: reference · generator ✓ · reward ✓ · reference ✗"));
                assertEquals("reference", page.evaluate("document.getElementById('roles').dataset.waiting"));
                assertEquals("roles waiting", page.evaluate("document.getElementById('roles').className"));

                control.readiness = new RunRoles(RunRoles.NEEDED, Map.of("generator", List.of("a"),
                        "reward", List.of("b"), "reference", List.of("c")), List.of());
                assertEquals("generator ✓ · reward ✓ · reference ✓", awaitRoles(page, "generator ✓ · reward ✓ · reference ✓"),
                        "the next poll shows the reference joined");
                assertEquals("roles", page.evaluate("document.getElementById('roles').className"));
            }
        }
    }

    /** The roles line once it reads {@code expected}, or what it read at the 30 s deadline. */
    private static String awaitRoles(HeadlessChromium page, String expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String shown = page.evaluate("document.getElementById('roles').textContent");
        while (!shown.equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            shown = page.evaluate("document.getElementById('roles').textContent");
        }
        return shown;
    }
}
