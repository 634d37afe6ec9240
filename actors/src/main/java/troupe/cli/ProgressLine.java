package troupe.cli;

import java.io.PrintWriter;
import java.time.Duration;
import troupe.proto.v1.LearnerEvent;
import troupe.proto.v1.ObjectiveStats;

/**
 * The one live line of `troupe run`: step/total, per-objective raw mean and weight, KL,
 * samples/s and ETA. Rewritten in place (carriage return) on a terminal; one line per
 * {@code every} steps otherwise, so logs stay readable.
 */
final class ProgressLine {
    private final PrintWriter out;
    private final boolean terminal;
    private final int every;
    private final long startNanos = System.nanoTime();
    private long firstStep = -1;
    private int lastWidth;

    ProgressLine(PrintWriter out, boolean terminal, int every) {
        this.out = out;
        this.terminal = terminal;
        this.every = every;
    }

    void onEvent(LearnerEvent e) {
        if (firstStep < 0) {
            firstStep = e.getStep() - 1;
        }
        String line = render(e);
        if (terminal) {
            out.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
            lastWidth = line.length();
            out.flush();
        } else if (e.getStep() % every == 0 || e.getStep() == e.getTotalSteps()) {
            out.println(line);
            out.flush();
        }
    }

    void finish() {
        if (terminal && lastWidth > 0) {
            out.println();
            out.flush();
        }
    }

    String render(LearnerEvent e) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("step %d/%d", e.getStep(), e.getTotalSteps()));
        for (ObjectiveStats o : e.getObjectivesList()) {
            b.append(String.format("  %s %s w%.2f", o.getName(),
                    o.getQuarantined() ? "(quarantined)" : String.format("%.3f", o.getRawMean()), o.getWeight()));
        }
        b.append(String.format("  KL %.4f", e.getKl().getTokenMean()));
        b.append(String.format("  %.1f samples/s", e.getThroughput().getSamplesPerSecond()));
        long done = e.getStep() - firstStep;
        if (done > 0 && e.getTotalSteps() > e.getStep()) {
            double perStep = (System.nanoTime() - startNanos) / 1e9 / done;
            b.append("  ETA ").append(format(Duration.ofSeconds(Math.round(perStep * (e.getTotalSteps() - e.getStep())))));
        }
        return b.toString();
    }

    static String format(Duration d) {
        long s = d.getSeconds();
        return s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
