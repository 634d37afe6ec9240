package troupe.core.health;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Raises and clears health alerts from a run's steps, in order (one per learner event). An alert
 * of a kind is raised when its rule ({@link HealthRules}) reaches a severity, raised again when
 * it becomes critical, and cleared after {@link HealthSettings#clearAfter} healthy steps in a row
 * (so a signal hovering at its threshold does not raise a new alert every other step). A step
 * whose signal is NaN leaves that kind as it was. Not thread-safe; one per run.
 *
 * <p>Memory: the last 2·window steps' signals, for the trade-off rule. A resumed run starts a
 * new watch: its length baseline and windows are rebuilt from the steps after the resume.
 */
public final class HealthWatch {
    private final HealthSettings settings;
    private final Map<AlertKind, HealthAlert> active = new EnumMap<>(AlertKind.class);
    private final Map<AlertKind, Integer> healthy = new EnumMap<>(AlertKind.class);
    private final Map<AlertKind, Double> margins = new EnumMap<>(AlertKind.class);
    private final ArrayDeque<HealthSignals> history = new ArrayDeque<>();
    private String primary;
    private double baselineSum;
    private int baselineSteps;

    /** @param primaryObjective the trade-off rule's objective; empty = the first objective of the first step */
    public HealthWatch(HealthSettings settings, String primaryObjective) {
        this.settings = settings;
        this.primary = primaryObjective;
    }

    /**
     * Reads one step. Returns every alert active after it, in {@link AlertKind} order; those
     * raised at this step have {@code step() == signals.step()}.
     */
    public List<HealthAlert> observe(HealthSignals s) {
        if (primary.isEmpty() && !s.objectives().isEmpty()) {
            primary = s.objectives().get(0).name();
        }
        int window = settings.tradeoff().window();
        history.addLast(s);
        while (history.size() > 2 * window) {
            history.removeFirst();
        }
        update(AlertKind.ENTROPY_COLLAPSE, s, Double.isNaN(s.entropy()) ? null
                : HealthRules.entropy(s.entropy(), settings.entropy()));
        update(AlertKind.TOPK_MASS, s, Double.isNaN(s.topKMass()) ? null
                : HealthRules.topKMass(s.topKMass(), settings.topKMass()));
        update(AlertKind.KL_BUDGET, s, Double.isNaN(s.klBudget()) ? null
                : HealthRules.klBudget(s.klBudget(), settings.klBudget()));
        double baseline = lengthBaseline(s);
        update(AlertKind.LENGTH_COLLAPSE, s, Double.isNaN(baseline) || Double.isNaN(s.meanLength()) ? null
                : HealthRules.length(s.meanLength(), baseline, settings.length()));
        HealthRules.Reading trade = null;
        if (window > 0 && history.size() == 2 * window) {
            List<HealthSignals> all = new ArrayList<>(history);
            trade = HealthRules.tradeoff(all.subList(0, window), all.subList(window, 2 * window), primary,
                    settings.tradeoff());
        }
        update(AlertKind.OBJECTIVE_TRADEOFF, s, trade);
        return List.copyOf(active.values());
    }

    /**
     * Each rule's distance to its warning condition at the latest step it could read, in the rule's
     * units (&gt; 0 = healthy): entropy − warning, warning − mass, warning − budget, ratio − warning,
     * and for the trade-off the larger of (warning-fall − fall) and (min-rise − rise).
     */
    public Map<AlertKind, Double> margins() {
        return Map.copyOf(margins);
    }

    /** The trade-off rule's objective; empty until the first step when none was configured. */
    public String primaryObjective() {
        return primary;
    }

    private void update(AlertKind kind, HealthSignals s, HealthRules.Reading r) {
        if (r == null) {
            return;
        }
        margins.put(kind, r.margin());
        HealthAlert current = active.get(kind);
        if (r.severity() == null) {
            if (current != null) {
                int n = healthy.merge(kind, 1, Integer::sum);
                if (n >= settings.clearAfter()) {
                    active.remove(kind);
                    healthy.remove(kind);
                }
            }
            return;
        }
        healthy.remove(kind);
        boolean escalates = current == null || r.severity().compareTo(current.severity()) > 0;
        // A warning reading under an active critical alert keeps the alert critical (and its step).
        Severity severity = escalates ? r.severity() : current.severity();
        double threshold = escalates ? r.threshold() : current.threshold();
        active.put(kind, new HealthAlert(kind, severity, r.reason(), escalates ? s.step() : current.step(),
                r.value(), threshold));
    }

    /** The reference policy's mean length when known, else the mean of this run's first steps; NaN before. */
    private double lengthBaseline(HealthSignals s) {
        if (s.referenceLength() > 0 && Double.isFinite(s.referenceLength())) {
            return s.referenceLength();
        }
        int need = settings.length().baselineSteps();
        if (baselineSteps < need && Double.isFinite(s.meanLength())) {
            baselineSum += s.meanLength();
            baselineSteps++;
            return Double.NaN; // a step that forms the baseline is not judged against it
        }
        return baselineSteps < need ? Double.NaN : baselineSum / baselineSteps;
    }
}
