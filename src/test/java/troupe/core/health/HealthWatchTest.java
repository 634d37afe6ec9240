package troupe.core.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import troupe.core.TestSettings;
import troupe.core.config.SettingsException;

class HealthWatchTest {

    private static final HealthSettings DEFAULTS = HealthSettings.fromConfig(TestSettings.REFERENCE);

    /** Alerts at the step each was raised, over a whole recorded run. */
    private static Map<AlertKind, HealthAlert> firstRaised(List<HealthSignals> run, HealthSettings s) {
        HealthWatch watch = new HealthWatch(s, "");
        Map<AlertKind, HealthAlert> first = new EnumMap<>(AlertKind.class);
        for (HealthSignals step : run) {
            for (HealthAlert a : watch.observe(step)) {
                if (a.raisedAt(step.step())) {
                    first.putIfAbsent(a.kind(), a);
                }
            }
        }
        return first;
    }

    @Test
    void recordedCollapseRaisesEveryKindByStep10() throws Exception {
        Map<AlertKind, HealthAlert> first = firstRaised(HealthFixtures.read(HealthFixtures.COLLAPSE), DEFAULTS);
        assertEquals(4, first.get(AlertKind.KL_BUDGET).step(), "budget 2.06 > 2.0 at step 4");
        assertEquals(Severity.WARNING, first.get(AlertKind.KL_BUDGET).severity());
        assertEquals(6, first.get(AlertKind.LENGTH_COLLAPSE).step(), "2.81 of 6.43 tokens");
        assertEquals(8, first.get(AlertKind.ENTROPY_COLLAPSE).step());
        assertEquals(Severity.CRITICAL, first.get(AlertKind.ENTROPY_COLLAPSE).severity());
        assertEquals("entropy 0.08 < 0.10", first.get(AlertKind.ENTROPY_COLLAPSE).reason());
        assertEquals(8, first.get(AlertKind.TOPK_MASS).step());
        assertEquals(10, first.get(AlertKind.OBJECTIVE_TRADEOFF).step(), "the first step with two windows of 5");
        assertEquals(Severity.CRITICAL, first.get(AlertKind.OBJECTIVE_TRADEOFF).severity());
        assertTrue(first.get(AlertKind.OBJECTIVE_TRADEOFF).reason().startsWith("correctness fell 0.44 sd over 5 steps"),
                first.get(AlertKind.OBJECTIVE_TRADEOFF).reason());
        assertTrue(first.get(AlertKind.OBJECTIVE_TRADEOFF).reason().contains("while brevity improved 2.6"),
                first.get(AlertKind.OBJECTIVE_TRADEOFF).reason());
    }

    @Test
    void recordedCollapseStaysAlertedToItsEnd() throws Exception {
        HealthWatch watch = new HealthWatch(DEFAULTS, "");
        List<HealthAlert> last = List.of();
        for (HealthSignals step : HealthFixtures.read(HealthFixtures.COLLAPSE)) {
            last = watch.observe(step);
        }
        // Entropy, mass, budget and length stay collapsed. Once correctness is 0 on every sample its
        // spread is 0, the trade-off has no unit to measure in, and its alert stays as it was.
        assertEquals(List.of(AlertKind.values()), last.stream().map(HealthAlert::kind).toList());
        assertEquals(10, last.get(4).step());
        assertTrue(last.stream().allMatch(a -> a.severity() == Severity.CRITICAL), last.toString());
    }

    /**
     * The demo's first 40 steps raise nothing, with room: each rule's closest approach to its
     * warning condition is printed and must keep a stated margin, since rounding moves trajectories.
     */
    @Test
    void recordedNormalRunRaisesNothingAndKeepsItsMargins() throws Exception {
        List<HealthSignals> run = HealthFixtures.read(HealthFixtures.NORMAL);
        assertEquals(40, run.size());
        HealthWatch watch = new HealthWatch(DEFAULTS, "");
        Map<AlertKind, Double> closest = new EnumMap<>(AlertKind.class);
        for (HealthSignals step : run) {
            assertEquals(List.of(), watch.observe(step), "step " + step.step());
            watch.margins().forEach((k, m) -> closest.merge(k, m, Math::min));
        }
        System.out.println("normal run, closest approach to each warning threshold: " + closest);
        assertEquals(AlertKind.values().length, closest.size(), "every rule read the run");
        assertTrue(closest.get(AlertKind.ENTROPY_COLLAPSE) > 0.3, "entropy stays 0.3 nats above 0.15");
        assertTrue(closest.get(AlertKind.TOPK_MASS) > 0.003, "mass stays 0.003 below 0.997");
        assertTrue(closest.get(AlertKind.KL_BUDGET) > 0.4, "budget stays 0.4 below 2.0");
        assertTrue(closest.get(AlertKind.LENGTH_COLLAPSE) > 0.3, "length stays 0.3 of baseline above 0.5");
        assertTrue(closest.get(AlertKind.OBJECTIVE_TRADEOFF) > 0.1, "fall or rise stays 0.1 sd short");
    }

    @Test
    void anAlertClearsAfterClearAfterHealthyStepsAndIsRaisedAnew() {
        HealthWatch watch = new HealthWatch(DEFAULTS, "");
        double[] entropy = {0.5, 0.05, 0.5, 0.5, 0.05, 0.5, 0.5, 0.5, 0.05};
        List<Long> raised = new ArrayList<>();
        List<Integer> active = new ArrayList<>();
        for (int i = 0; i < entropy.length; i++) {
            HealthSignals s = signals(i + 1, entropy[i]);
            List<HealthAlert> alerts = watch.observe(s);
            alerts.stream().filter(a -> a.raisedAt(s.step())).forEach(a -> raised.add(a.step()));
            active.add(alerts.size());
        }
        // clear-after = 3: two healthy steps keep the step-2 alert (no new one at step 5).
        assertEquals(List.of(2L, 9L), raised);
        assertEquals(List.of(0, 1, 1, 1, 1, 1, 1, 0, 1), active);
    }

    @Test
    void aWarningThatBecomesCriticalIsRaisedAgainAndStaysCritical() {
        HealthWatch watch = new HealthWatch(DEFAULTS, "");
        assertEquals(Severity.WARNING, watch.observe(signals(1, 0.12)).get(0).severity());
        HealthAlert critical = watch.observe(signals(2, 0.05)).get(0);
        assertEquals(Severity.CRITICAL, critical.severity());
        assertTrue(critical.raisedAt(2));
        HealthAlert after = watch.observe(signals(3, 0.12)).get(0);
        assertEquals(Severity.CRITICAL, after.severity());
        assertEquals(2, after.step());
        assertEquals("entropy 0.12 < 0.15", after.reason(), "the reason is the latest reading");
    }

    @Test
    void aNanSignalLeavesItsAlertAsItWas() {
        HealthWatch watch = new HealthWatch(DEFAULTS, "");
        watch.observe(signals(1, 0.05));
        for (int step = 2; step <= 6; step++) {
            assertEquals(1, watch.observe(signals(step, Double.NaN)).size());
        }
    }

    @Test
    void lengthIsJudgedAgainstTheReferenceLengthWhenKnown() {
        HealthWatch watch = new HealthWatch(DEFAULTS, "");
        HealthAlert a = watch.observe(new HealthSignals(1, 1, 0.5, 0, 2.0, 10.0, List.of())).get(0);
        assertEquals(AlertKind.LENGTH_COLLAPSE, a.kind());
        assertEquals(Severity.CRITICAL, a.severity());
        assertEquals("mean length / baseline 0.20 < 0.25 (2.00 of 10.00 tokens)", a.reason());
    }

    @Test
    void aConfiguredPrimaryObjectiveIsTheOneWatched() throws Exception {
        // In the collapse brevity rose; named primary, nothing else rose while it "fell".
        HealthWatch watch = new HealthWatch(DEFAULTS, "brevity");
        for (HealthSignals step : HealthFixtures.read(HealthFixtures.COLLAPSE)) {
            watch.observe(step).forEach(a -> assertTrue(a.kind() != AlertKind.OBJECTIVE_TRADEOFF, a.toString()));
        }
        assertEquals("brevity", watch.primaryObjective());
    }

    @Test
    void thresholdsOnTheWrongSideNameTheirKey() {
        var bad = ConfigFactory.parseString("troupe.health.entropy { warning = 0.1, critical = 0.2 }")
                .withFallback(TestSettings.REFERENCE);
        SettingsException e = assertThrows(SettingsException.class, () -> HealthSettings.fromConfig(bad));
        assertTrue(e.getMessage().contains("troupe.health.entropy.critical"), e.getMessage());
        var unknown = ConfigFactory.parseString("troupe.health.on-alert = panic").withFallback(TestSettings.REFERENCE);
        e = assertThrows(SettingsException.class, () -> HealthSettings.fromConfig(unknown));
        assertTrue(e.getMessage().contains("troupe.health.on-alert"), e.getMessage());
    }

    @Test
    void defaultsAreReadFromReferenceConf() {
        assertEquals(HealthSettings.OnAlert.WARN, DEFAULTS.onAlert());
        assertEquals(new HealthSettings.Thresholds(0.15, 0.10), DEFAULTS.entropy());
        assertEquals(new HealthSettings.Tradeoff(5, 0.2, 0.35, 0.2), DEFAULTS.tradeoff());
    }

    /** A step with healthy signals except the entropy given. */
    private static HealthSignals signals(long step, double entropy) {
        return new HealthSignals(step, entropy, 0.9, 1.0, 6.0, 6.0, List.of());
    }
}
