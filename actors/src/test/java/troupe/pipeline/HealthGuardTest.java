package troupe.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import troupe.api.HealthAlertCounts;
import troupe.api.LearnerEventHub;
import troupe.config.TroupeConfig;
import troupe.core.health.HealthSettings;
import troupe.events.HealthAlerts;
import troupe.events.RecordedRuns;
import troupe.proto.v1.LearnerEvent;

class HealthGuardTest {

    private static HealthSettings settings(String onAlert) {
        return HealthSettings.fromConfig(ConfigFactory.parseString("troupe.health.on-alert = " + onAlert)
                .withFallback(TroupeConfig.reference()).resolve());
    }

    /** Steering calls as "pause@step" / "stop@step". */
    private static List<String> steer(String onAlert, List<LearnerEvent> run, List<LearnerEvent> published) {
        List<String> calls = new ArrayList<>();
        HealthGuard guard = new HealthGuard(settings(onAlert), "");
        long[] step = {0};
        guard.steerThrough(new HealthGuard.Steering() {
            @Override
            public void pause() {
                calls.add("pause@" + step[0]);
            }

            @Override
            public void stop() {
                calls.add("stop@" + step[0]);
            }
        });
        for (LearnerEvent e : run) {
            step[0] = e.getStep();
            LearnerEvent checked = guard.check(e);
            published.add(checked);
            guard.act(checked);
        }
        return calls;
    }

    @Test
    void collapseEventsCarryTheirActiveAlertsAsTheJsonThePageReads() throws Exception {
        List<LearnerEvent> out = new ArrayList<>();
        steer("warn", RecordedRuns.read(RecordedRuns.COLLAPSE), out);
        LearnerEvent step8 = out.get(7);
        assertEquals(List.of("kl-budget", "length-collapse"), out.get(6).getAlertsList().stream()
                .map(a -> a.getKind()).toList(), "before step 8");
        String json = JsonFormat.printer().omittingInsignificantWhitespace().print(step8);
        // uint64 step is a JSON string; '<' is escaped as \\u003c (JSON.parse reads it back).
        assertTrue(json.contains("\"alerts\":[{\"kind\":\"entropy-collapse\",\"severity\":\"critical\","
                + "\"reason\":\"entropy 0.08 \\u003c 0.10\",\"step\":\"8\",\"value\":0.0754"), json);
        assertEquals(List.of("ALERT step 8 entropy-collapse (critical): entropy 0.08 < 0.10",
                "ALERT step 8 topk-mass (warning): top-k mass 0.998 > 0.997",
                "ALERT step 8 kl-budget (critical): KL budget 2.54 > 2.50 (sequence KL 6.44 nats)"),
                HealthAlerts.raised(step8).stream().map(HealthAlerts::line).toList());
        assertEquals(4, step8.getAlertsCount(), "length-collapse is still active from step 6 (critical at 7)");
    }

    @Test
    void pauseFollowsEveryStepThatRaisesAnAlertAndStopComesOnce() throws Exception {
        List<LearnerEvent> run = RecordedRuns.read(RecordedRuns.COLLAPSE);
        assertEquals(List.of("pause@4", "pause@6", "pause@7", "pause@8", "pause@9", "pause@10"),
                steer("pause", run, new ArrayList<>()));
        assertEquals(List.of("stop@4"), steer("stop", run, new ArrayList<>()));
        assertEquals(List.of(), steer("warn", run, new ArrayList<>()));
    }

    @Test
    void theNormalRunIsPublishedWithoutAlertsAndNeverSteered() throws Exception {
        List<LearnerEvent> out = new ArrayList<>();
        assertEquals(List.of(), steer("stop", RecordedRuns.read(RecordedRuns.NORMAL), out));
        assertEquals(40, out.size());
        assertTrue(out.stream().allMatch(e -> e.getAlertsCount() == 0));
    }

    @Test
    void theHubCountsEachAlertOnceByKindAndSeverity() throws Exception {
        List<LearnerEvent> out = new ArrayList<>();
        steer("warn", RecordedRuns.read(RecordedRuns.COLLAPSE), out);
        LearnerEventHub hub = new LearnerEventHub(4, 1);
        out.forEach(hub::publish);
        assertEquals(List.of(new HealthAlertCounts.Series("entropy-collapse", "critical", 1),
                new HealthAlertCounts.Series("kl-budget", "critical", 1),
                new HealthAlertCounts.Series("kl-budget", "warning", 1),
                new HealthAlertCounts.Series("length-collapse", "critical", 1),
                new HealthAlertCounts.Series("length-collapse", "warning", 1),
                new HealthAlertCounts.Series("objective-tradeoff", "critical", 1),
                new HealthAlertCounts.Series("topk-mass", "critical", 1),
                new HealthAlertCounts.Series("topk-mass", "warning", 1)), hub.healthAlerts().series());
    }
}
