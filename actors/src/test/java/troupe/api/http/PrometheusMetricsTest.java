package troupe.api.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import troupe.api.LearnerEventHub;
import troupe.api.TestEvents;
import troupe.proto.v1.HealthAlert;
import troupe.proto.v1.ScorerFault;

class PrometheusMetricsTest {

    @Test
    void scorerFaultsAreCountedByTheirKind() {
        LearnerEventHub hub = new LearnerEventHub(10, 1);
        hub.publish(TestEvents.step(1).toBuilder()
                .addFaults(ScorerFault.newBuilder().setObjective("remote-a").setKind("deadline").setDetail("slow"))
                .addFaults(ScorerFault.newBuilder().setObjective("remote-b").setKind("deadline").setDetail("slow"))
                .addFaults(ScorerFault.newBuilder().setObjective("remote-c").setKind("unavailable").setDetail("down"))
                .build());
        String body = PrometheusMetrics.render(hub);
        assertTrue(body.contains("troupe_scorer_faults 3\n"), body);
        assertTrue(body.contains("troupe_scorer_faults_by_kind{kind=\"deadline\"} 2\n"), body);
        assertTrue(body.contains("troupe_scorer_faults_by_kind{kind=\"unavailable\"} 1\n"), body);
    }

    @Test
    void healthAlertsAreCountedOnceByKindAndSeverity() {
        LearnerEventHub hub = new LearnerEventHub(10, 1);
        String before = PrometheusMetrics.render(hub);
        assertTrue(before.contains("# TYPE troupe_health_alerts_total counter\n"), before);
        assertTrue(!before.contains("troupe_health_alerts_total{"), "no series before an alert: " + before);
        HealthAlert entropy = HealthAlert.newBuilder().setKind("entropy-collapse").setSeverity("critical")
                .setReason("entropy 0.03 < 0.10").setStep(12).build();
        hub.publish(TestEvents.step(12).toBuilder().addAlerts(entropy).build());
        hub.publish(TestEvents.step(13).toBuilder().addAlerts(entropy).build()); // still active, not new
        String body = PrometheusMetrics.render(hub);
        assertTrue(body.contains("troupe_health_alerts_total{kind=\"entropy-collapse\",severity=\"critical\"} 1\n"),
                body);
    }
}
