package troupe.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import troupe.config.TroupeConfig;
import troupe.config.TroupeSettings;
import troupe.core.health.AlertKind;
import troupe.core.health.HealthWatch;
import troupe.events.HealthAlerts;
import troupe.proto.v1.LearnerEvent;

/**
 * The demo, really trained (shipped model, seed 1, every role in this JVM): the collapse scenario
 * of issue 19 raises an alert within 30 steps and on-alert = stop ends the run there with its
 * checkpoint; the default demo raises none over 40 steps, with each rule's closest approach to
 * its threshold printed. Costly (on a quiet machine ~3 s a step: ~20 s and ~2.5 min); 
 * the rules themselves are tested on recorded runs (HealthWatchTest, HealthGuardTest).
 */
class HealthAlertsRunTest {

    private static final Path MODEL = Path.of("..", "models", "base-reverse");

    @TempDir
    Path work;

    private List<LearnerEvent> train(String id, String overrides, Run.Result[] result) throws Exception {
        Config cfg = ConfigFactory.parseString(overrides + "\ntroupe.run { heldout-prompts = 0, output-dir = \"%s\" }"
                .formatted(work.toString().replace("\\", "/")))
                .withFallback(TroupeConfig.reference()).resolve();
        TroupeSettings s = TroupeSettings.fromConfig(cfg);
        try (LocalEngines engines = LocalEngines.load(cfg, s, MODEL)) {
            Run run = Run.start(cfg, s, id, engines.components());
            // ~3 s a step on a quiet 2-core machine; ten times that under a shared machine's load.
            result[0] = run.result().toCompletableFuture().get(25, TimeUnit.MINUTES);
        }
        List<LearnerEvent> events = new ArrayList<>();
        for (String line : Files.readAllLines(result[0].metricsFile())) {
            LearnerEvent.Builder b = LearnerEvent.newBuilder();
            JsonFormat.parser().merge(line, b);
            events.add(b.build());
        }
        return events;
    }

    @Test
    @Timeout(1800)
    void collapsingWeightsRaiseAnAlertWithin30StepsAndOnAlertStopEndsTheRun() throws Exception {
        Run.Result[] r = new Run.Result[1];
        List<LearnerEvent> events = train("collapse", """
                troupe.run.steps = 30
                troupe.learner.weighting { strategy = "fixed-linear", initial-weights { correctness = 0.3, brevity = 0.7 } }
                troupe.health.on-alert = stop
                troupe.checkpoint { every-n-steps = 0, on-shutdown = false }
                """, r);
        LearnerEvent first = events.stream().filter(e -> !HealthAlerts.raised(e).isEmpty()).findFirst().orElseThrow(
                () -> new AssertionError("no alert in " + events.size() + " steps"));
        System.out.println("collapse run: " + HealthAlerts.raised(first).stream().map(HealthAlerts::line).toList());
        assertTrue(first.getStep() <= 30, "first alert at step " + first.getStep());
        // Stop closes the permits: at most the batch already admitted is trained after the alert.
        assertTrue(r[0].steps() <= first.getStep() + 1, r[0].steps() + " steps after an alert at " + first.getStep());
        assertEquals(r[0].steps(), events.size(), "every trained step's event is in the metrics log");
        assertTrue(r[0].lastCheckpoint().isPresent(), "stop writes a checkpoint even with on-shutdown = false");
        assertTrue(Files.isDirectory(r[0].lastCheckpoint().get()));
    }

    @Test
    @Timeout(1800)
    void theDefaultDemoRaisesNoAlertOver40Steps() throws Exception {
        Run.Result[] r = new Run.Result[1];
        // on-alert = stop: a false alarm ends the run at once rather than after 40 steps.
        List<LearnerEvent> events = train("demo", """
                troupe.run.steps = 40
                troupe.health.on-alert = stop
                troupe.checkpoint { every-n-steps = 0, on-shutdown = false }
                """, r);
        assertEquals(40, events.size());
        HealthWatch margins = new HealthWatch(TroupeSettings.fromConfig(TroupeConfig.reference().resolve()).health(), "");
        Map<AlertKind, Double> closest = new EnumMap<>(AlertKind.class);
        for (LearnerEvent e : events) {
            assertEquals(List.of(), e.getAlertsList(), "step " + e.getStep());
            margins.observe(HealthAlerts.signals(e));
            margins.margins().forEach((k, m) -> closest.merge(k, m, Math::min));
        }
        System.out.println("default demo, 40 steps, closest approach to each warning threshold: " + closest);
        assertEquals(AlertKind.values().length, closest.size(), "every rule read the run");
    }
}
