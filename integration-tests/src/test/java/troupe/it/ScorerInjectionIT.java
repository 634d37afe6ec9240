package troupe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reward node started mid-run with a plugin scorer joins the running job: its objective
 * enters the reward vector and the weighting within a few steps, and leaves cleanly when the
 * node is stopped — while the learner, generator, reward and reference nodes keep running.
 */
class ScorerInjectionIT {
    /** Long enough that the run is still going when the plugin node has started and stopped. */
    static final String RUN = ClusterRunIT.RUN.formatted(5000);
    static final String IN_EVENT = "\"name\":\"" + PluginJar.OBJECTIVE + "\"";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    @Timeout(200)
    void pluginScorerJoinsARunningJobAndLeavesCleanly() throws Exception {
        Path jar = PluginJar.build(dir);
        try (TestCluster c = new TestCluster(dir, RUN)) {
            JvmProcess learner = c.start("learner", "learner", List.of());
            c.start("generator-a", "generator", List.of());
            c.start("reward", "reward", List.of());
            c.start("reference", "reference", List.of());
            c.await("3 trained steps", Duration.ofSeconds(90), () -> c.trained() >= 3);

            JvmProcess plugin = c.start("plugin", "reward", PluginJar.classpath(jar), "--scorer", PluginJar.SCORER_CLASS);
            c.await("the plugin's objective in a learner event", Duration.ofSeconds(60),
                    () -> c.events().stream().anyMatch(e -> e.contains(IN_EVENT)));
            List<String> events = c.events();
            String first = events.stream().filter(e -> e.contains(IN_EVENT)).findFirst().orElseThrow();
            // Its weight is part of the simplex from the step it joined.
            assertTrue(first.matches(".*\\{\"name\":\"" + PluginJar.OBJECTIVE + "\"[^}]*\"weight\":0\\.[0-9]*[1-9].*"),
                    first);

            assertEquals(143, plugin.terminate(Duration.ofSeconds(30)), plugin.output());
            int afterStop = c.events().size();
            c.await("events without the plugin's objective", Duration.ofSeconds(60), () -> {
                List<String> now = c.events();
                return now.size() > afterStop + 2 && !now.get(now.size() - 1).contains(IN_EVENT);
            });
            List<String> later = c.events();
            String last = later.get(later.size() - 1);
            assertTrue(last.contains("\"name\":\"correctness\"") && last.contains("\"name\":\"brevity\""), last);

            // Nothing else restarted: one run start, every other node still up.
            assertTrue(learner.isAlive() && c.node("generator-a").isAlive() && c.node("reward").isAlive()
                    && c.node("reference").isAlive(), c.logs());
            assertEquals(1, learner.output().split("run it started", -1).length - 1, learner.output());
            ClusterRunIT.assertLedgerConsistent(c, c.trained());
        }
    }
}
