package troupe.cli;

import java.io.PrintWriter;
import java.util.HashSet;
import java.util.Set;
import troupe.events.HealthAlerts;
import troupe.proto.v1.HealthAlert;
import troupe.proto.v1.LearnerEvent;

/**
 * Prints one stderr line per newly raised health alert, e.g.
 * {@code ALERT step 12 entropy-collapse (critical): entropy 0.03 < 0.10}. Events carry every active
 * alert, so an alert raised in an event this subscriber missed (a slow hub subscriber loses
 * events) is still printed from the next one, once: it is known by kind, severity and step.
 */
final class AlertPrinter {
    private record Seen(String kind, String severity, long step) {}

    private final PrintWriter err;
    private final ProgressLine line;
    private final Set<Seen> printed = new HashSet<>();

    /** @param line the progress line on the same stream, ended first so an alert starts its own line */
    AlertPrinter(PrintWriter err, ProgressLine line) {
        this.err = err;
        this.line = line;
    }

    void onEvent(LearnerEvent e) {
        for (HealthAlert a : e.getAlertsList()) {
            if (printed.add(new Seen(a.getKind(), a.getSeverity(), a.getStep()))) {
                line.finish();
                err.println(HealthAlerts.line(a));
                err.flush();
            }
        }
    }
}
