package troupe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import troupe.api.TestEvents;
import troupe.proto.v1.HealthAlert;
import troupe.proto.v1.LearnerEvent;

/** The stderr line per new alert (`troupe run`) and the alerts of `troupe watch`. */
class AlertPrinterTest {

    private static final HealthAlert ENTROPY = HealthAlert.newBuilder().setKind("entropy-collapse")
            .setSeverity("critical").setReason("entropy 0.03 < 0.10").setStep(12).build();
    private static final HealthAlert KL = HealthAlert.newBuilder().setKind("kl-budget")
            .setSeverity("warning").setReason("KL budget 2.10 > 2.00 (sequence KL 4.41 nats)").setStep(14).build();

    private static LearnerEvent step(long step, HealthAlert... active) {
        return TestEvents.step(step).toBuilder().addAllAlerts(List.of(active)).build();
    }

    @Test
    void printsOneLinePerNewAlertEvenWhenItsOwnEventWasMissed() {
        StringWriter s = new StringWriter();
        PrintWriter err = new PrintWriter(s, true);
        AlertPrinter printer = new AlertPrinter(err, new ProgressLine(err, false));
        printer.onEvent(step(11));
        printer.onEvent(step(12, ENTROPY));
        printer.onEvent(step(13, ENTROPY));
        // step 14, which raised the KL alert, never reached this subscriber
        printer.onEvent(step(15, ENTROPY, KL));
        assertEquals(List.of("ALERT step 12 entropy-collapse (critical): entropy 0.03 < 0.10",
                "ALERT step 14 kl-budget (warning): KL budget 2.10 > 2.00 (sequence KL 4.41 nats)"),
                s.toString().lines().toList());
    }

    @Test
    void anAlertEndsAnInPlaceProgressLineFirst() {
        StringWriter s = new StringWriter();
        PrintWriter err = new PrintWriter(s, true);
        ProgressLine line = new ProgressLine(err, true);
        line.update("step 12/30");
        new AlertPrinter(err, line).onEvent(step(12, ENTROPY));
        assertEquals("\rstep 12/30\nALERT step 12 entropy-collapse (critical): entropy 0.03 < 0.10\n",
                s.toString().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void watchMarksActiveAlertsOnTheRowAndPrintsNewOnesBelowIt() {
        StringWriter s = new StringWriter();
        WatchTable t = new WatchTable(new PrintWriter(s, true));
        t.print(step(12, ENTROPY));
        t.print(step(14, ENTROPY, KL));
        t.print(step(15));
        List<String> lines = s.toString().lines().toList();
        assertEquals(6, lines.size(), s.toString());
        assertTrue(lines.get(1).endsWith("  alerts: entropy-collapse!"), lines.get(1));
        assertEquals("ALERT step 12 entropy-collapse (critical): entropy 0.03 < 0.10", lines.get(2));
        assertTrue(lines.get(3).endsWith("  alerts: entropy-collapse! kl-budget"), lines.get(3));
        assertTrue(lines.get(4).startsWith("ALERT step 14 kl-budget (warning)"), lines.get(4));
        assertTrue(!lines.get(5).contains("alerts"), "healthy again: " + lines.get(5));
    }
}
