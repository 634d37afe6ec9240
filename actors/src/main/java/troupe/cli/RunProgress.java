package troupe.cli;

import java.io.PrintWriter;
import troupe.pipeline.Run;
import troupe.proto.v1.LearnerEvent;
import troupe.proto.v1.ObjectiveStats;

/**
 * The live line of `troupe run` and a learner `troupe node`: step/total, per-objective raw mean
 * and weight, KL, samples/s and ETA. On a terminal it updates every step in place; otherwise
 * every {@code every} steps.
 */
final class RunProgress {
    private final ProgressLine line;
    private final boolean terminal;
    private final int every;
    private final long startNanos = System.nanoTime();
    private long firstStep = -1;

    RunProgress(ProgressLine line, boolean terminal, int every) {
        this.line = line;
        this.terminal = terminal;
        this.every = every;
    }

    /**
     * The progress line of {@code run} on {@code err}, with one ALERT line per new health alert
     * ({@link AlertPrinter}), subscribed now: before the servers bind, so
     * a short run's first steps reach it. Every 5 steps when stderr is not a terminal.
     */
    static RunProgress attach(Run run, PrintWriter err) {
        boolean terminal = ProgressLine.stderrIsTerminal();
        ProgressLine line = new ProgressLine(err, terminal);
        RunProgress progress = new RunProgress(line, terminal, 5);
        AlertPrinter alerts = new AlertPrinter(err, line);
        run.events().runForeach(e -> {
            alerts.onEvent(e);
            progress.onEvent(e);
        }, run.system());
        return progress;
    }

    void onEvent(LearnerEvent e) {
        if (firstStep < 0) {
            firstStep = e.getStep() - 1;
        }
        if (terminal || e.getStep() % every == 0 || e.getStep() == e.getTotalSteps()) {
            line.update(render(e));
        }
    }

    void finish() {
        line.finish();
    }

    String render(LearnerEvent e) {
        StringBuilder b = new StringBuilder(String.format("step %d/%d", e.getStep(), e.getTotalSteps()));
        for (ObjectiveStats o : e.getObjectivesList()) {
            b.append(String.format("  %s %s w%.2f", o.getName(),
                    o.getQuarantined() ? "(quarantined)" : String.format("%.3f", o.getRawMean()), o.getWeight()));
        }
        b.append(String.format("  KL %.4f  %.1f samples/s", e.getKl().getTokenMean(),
                e.getThroughput().getSamplesPerSecond()));
        long done = e.getStep() - firstStep;
        if (done > 0 && e.getTotalSteps() > e.getStep()) {
            double perStep = (System.nanoTime() - startNanos) / 1e9 / done;
            b.append("  ETA ").append(ProgressLine.duration(perStep * (e.getTotalSteps() - e.getStep())));
        }
        return b.toString();
    }
}
