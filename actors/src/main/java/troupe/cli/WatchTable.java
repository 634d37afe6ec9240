package troupe.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import troupe.events.HealthAlerts;
import troupe.proto.v1.LearnerEvent;
import troupe.proto.v1.ObjectiveStats;

/**
 * Formats LearnerEvents as a fixed-width terminal table, one row per event. The header is
 * printed again whenever the set of objectives changes (a scorer joined or left), so columns
 * always line up with their names. A row ends with what only some algorithms report (critic,
 * preference pairs, dynamic sampling), when the run reports it, then the active health alerts;
 * a line per alert raised at the step follows the row.
 */
final class WatchTable {
    private static final String TAIL_HEADER = String.format(Locale.ROOT, " %9s %8s %9s %10s %7s",
            "KL", "entropy", "reward", "samples/s", "missed");

    private final PrintWriter out;
    private List<String> objectives = null;

    WatchTable(PrintWriter out) {
        this.out = out;
    }

    void print(LearnerEvent e) {
        List<String> names = e.getObjectivesList().stream().map(ObjectiveStats::getName).toList();
        if (!names.equals(objectives)) {
            objectives = names;
            out.println(header(e));
        }
        out.println(row(e));
        HealthAlerts.raised(e).forEach(a -> out.println(HealthAlerts.line(a)));
    }

    static String header(LearnerEvent e) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%7s", "step"));
        for (ObjectiveStats o : e.getObjectivesList()) {
            // Raw mean under the objective's name, then its weight; arrows say which way is better.
            String label = o.getName() + (o.getDirection() == troupe.proto.v1.Direction.MINIMIZE ? "↓" : "↑");
            b.append(String.format(Locale.ROOT, " %" + width(o) + "s %5s", label, "w"));
        }
        return b.append(TAIL_HEADER).toString();
    }

    static String row(LearnerEvent e) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%7d", e.getStep()));
        for (ObjectiveStats o : e.getObjectivesList()) {
            String raw = o.getQuarantined() ? "quar." : String.format(Locale.ROOT, "%.4f", o.getRawMean());
            b.append(String.format(Locale.ROOT, " %" + width(o) + "s %5.2f", raw, o.getWeight()));
        }
        b.append(String.format(Locale.ROOT, " %9.4f %8.3f %9.4f %10.1f %7d",
                e.getKl().getTokenMean(), e.getEntropy().getMean(), e.getScalarRewardMean(),
                e.getThroughput().getSamplesPerSecond(), e.getMissedEvents()));
        return b.append(algorithm(e)).append(alerts(e)).toString();
    }

    /** The health alerts active after the step, "!" marking critical ones; empty when healthy. */
    static String alerts(LearnerEvent e) {
        if (e.getAlertsCount() == 0) {
            return "";
        }
        return e.getAlertsList().stream()
                .map(a -> a.getKind() + ("critical".equals(a.getSeverity()) ? "!" : ""))
                .collect(java.util.stream.Collectors.joining(" ", "  alerts: ", ""));
    }

    /** What only some algorithms report, after the fixed columns; empty for plain GRPO. */
    static String algorithm(LearnerEvent e) {
        StringBuilder b = new StringBuilder();
        if (e.getCritic().getPresent()) {
            b.append(String.format(Locale.ROOT, "  EV %.2f vclip %.2f", e.getCritic().getExplainedVariance(),
                    e.getCritic().getValueClipFraction()));
        }
        if (e.hasPreference()) {
            b.append(String.format(Locale.ROOT, "  %s acc %.2f margin %.3f pairs %d", e.getPreference().getLoss(),
                    e.getPreference().getRewardAccuracy(), e.getPreference().getRewardMargin(),
                    e.getPreference().getPairs()));
        }
        if (e.hasRanking() && e.getRanking().getAlgorithm().equals("raft")) {
            b.append(String.format(Locale.ROOT, "  raft kept %.2f reward %.3f", e.getRanking().getKeptFraction(),
                    e.getRanking().getKeptRewardMean()));
        } else if (e.hasRanking()) {
            b.append(String.format(Locale.ROOT, "  pro groups %d top %.2f", e.getRanking().getGroups(),
                    e.getRanking().getTopChoiceAccuracy()));
        }
        if (e.getDynamicSampling().getEnabled()) {
            b.append(String.format(Locale.ROOT, "  kept %d/%d of %d batches", e.getDynamicSampling().getGroupsKept(),
                    e.getDynamicSampling().getGroupsTarget(), e.getDynamicSampling().getGenerationBatches()));
        }
        return b.toString();
    }

    private static int width(ObjectiveStats o) {
        return Math.max(9, o.getName().length() + 1);
    }
}
