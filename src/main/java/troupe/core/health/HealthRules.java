package troupe.core.health;

import java.util.List;
import java.util.Locale;

/**
 * The alert rules as pure functions of one step's signals (plus, for length and the trade-off,
 * what {@link HealthWatch} remembers). Each returns a {@link Reading}: the signal, the severity it
 * reaches (null = healthy) and its margin, the signed distance to the warning condition in the
 * rule's units (&gt; 0 healthy), which tests and calibration read.
 */
final class HealthRules {

    private HealthRules() {}

    /**
     * @param severity null when healthy
     * @param threshold the threshold crossed (warning when healthy)
     * @param margin distance to the warning condition, &gt; 0 = healthy
     */
    record Reading(double value, Severity severity, double threshold, double margin, String reason) {}

    /** Entropy below the thresholds: the policy is collapsing onto a few tokens. */
    static Reading entropy(double entropy, HealthSettings.Thresholds t) {
        return below("entropy", entropy, t, "");
    }

    /** Top-k mass above the thresholds: "goes to 1". */
    static Reading topKMass(double mass, HealthSettings.Thresholds t) {
        return above("top-k mass", mass, t, "");
    }

    /** KL budget above the thresholds; the reason also gives the sequence KL d². */
    static Reading klBudget(double budget, HealthSettings.Thresholds t) {
        return above("KL budget", budget, t, String.format(Locale.ROOT, " (sequence KL %.2f nats)", budget * budget));
    }

    /** Mean length over its baseline below the thresholds (empty answers read ~1 token of EOS). */
    static Reading length(double meanLength, double baseline, HealthSettings.Length l) {
        HealthSettings.Thresholds t = new HealthSettings.Thresholds(l.warning(), l.critical());
        return below("mean length / baseline", meanLength / baseline, t,
                String.format(Locale.ROOT, " (%.2f of %.2f tokens)", meanLength, baseline));
    }

    /**
     * The primary objective fell between two adjacent windows while another rose. Changes are
     * direction-adjusted (a MINIMIZE objective "rises" as its raw mean goes down) and in units of
     * the objective's mean within-batch raw std over the earlier window. Null when {@code before}
     * or {@code after} lacks the primary or its spread is 0 (no unit to measure in).
     *
     * @param before the earlier window's steps, oldest first
     * @param after the later window's steps
     */
    static Reading tradeoff(List<HealthSignals> before, List<HealthSignals> after, String primary,
            HealthSettings.Tradeoff t) {
        Change p = change(before, after, primary);
        if (p == null) {
            return null;
        }
        double fall = -p.effect();
        Change rising = null;
        for (HealthSignals.Objective o : after.get(after.size() - 1).objectives()) {
            Change c = o.name().equals(primary) ? null : change(before, after, o.name());
            if (c != null && (rising == null || c.effect() > rising.effect())) {
                rising = c;
            }
        }
        double rise = rising == null ? Double.NEGATIVE_INFINITY : rising.effect();
        // Healthy while either half of the condition is unmet: the margin is the larger shortfall.
        double margin = Math.max(t.warningFall() - fall, t.minRise() - rise);
        Severity sev = margin > 0 ? null : fall >= t.criticalFall() ? Severity.CRITICAL : Severity.WARNING;
        double threshold = sev == Severity.CRITICAL ? t.criticalFall() : t.warningFall();
        String reason = String.format(Locale.ROOT, "%s fell %s sd over %d steps (%.3f -> %.3f)", primary,
                pair(fall, threshold)[0], after.size(), p.from(), p.to())
                + (rising == null ? "" : String.format(Locale.ROOT, " while %s improved %.2f sd (%.3f -> %.3f)",
                        rising.name(), rise, rising.from(), rising.to()));
        return new Reading(fall, sev, threshold, margin, reason);
    }

    private record Change(String name, double effect, double from, double to) {}

    private static Change change(List<HealthSignals> before, List<HealthSignals> after, String name) {
        double[] b = meanAndStd(before, name);
        double[] a = meanAndStd(after, name);
        if (b == null || a == null || !(b[1] > 0)) {
            return null;
        }
        double sign = b[2] > 0 ? 1 : -1;
        return new Change(name, sign * (a[0] - b[0]) / b[1], b[0], a[0]);
    }

    /** [mean of raw means, mean of raw stds, 1 if maximised else 0]; null when a step lacks the objective. */
    private static double[] meanAndStd(List<HealthSignals> steps, String name) {
        double mean = 0;
        double std = 0;
        boolean maximize = true;
        for (HealthSignals s : steps) {
            HealthSignals.Objective o = s.objectives().stream().filter(x -> x.name().equals(name)).findFirst()
                    .orElse(null);
            if (o == null || !Double.isFinite(o.rawMean())) {
                return null;
            }
            mean += o.rawMean() / steps.size();
            std += o.rawStd() / steps.size();
            maximize = o.maximize();
        }
        return new double[] {mean, std, maximize ? 1 : 0};
    }

    private static Reading below(String what, double v, HealthSettings.Thresholds t, String detail) {
        Severity sev = v < t.critical() ? Severity.CRITICAL : v < t.warning() ? Severity.WARNING : null;
        double threshold = sev == Severity.CRITICAL ? t.critical() : t.warning();
        String[] p = pair(v, threshold);
        return new Reading(v, sev, threshold, v - t.warning(), what + " " + p[0] + " < " + p[1] + detail);
    }

    private static Reading above(String what, double v, HealthSettings.Thresholds t, String detail) {
        Severity sev = v > t.critical() ? Severity.CRITICAL : v > t.warning() ? Severity.WARNING : null;
        double threshold = sev == Severity.CRITICAL ? t.critical() : t.warning();
        String[] p = pair(v, threshold);
        return new Reading(v, sev, threshold, t.warning() - v, what + " " + p[0] + " > " + p[1] + detail);
    }

    /**
     * A value and its threshold with 2 decimals, or more until they read differently (0.9981 vs
     * 0.9980 rather than 1.00 vs 1.00), at most 6.
     */
    static String[] pair(double value, double threshold) {
        for (int d = 2; ; d++) {
            String v = String.format(Locale.ROOT, "%." + d + "f", value);
            String t = String.format(Locale.ROOT, "%." + d + "f", threshold);
            if (!v.equals(t) || d == 6) {
                return new String[] {v, t};
            }
        }
    }
}
