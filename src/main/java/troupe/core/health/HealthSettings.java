package troupe.core.health;

import com.typesafe.config.Config;
import java.util.Set;
import troupe.core.config.ConfigReader;
import troupe.core.config.SettingsException;

/**
 * The {@code troupe.health} block: thresholds of the alert rules ({@link HealthWatch}) and what a
 * run does when one is raised. Defaults and their measured margins are in reference.conf.
 *
 * @param onAlert what a newly raised alert does to the run
 * @param primaryObjective the objective whose fall the trade-off rule watches; empty = the run's
 *     first objective
 * @param clearAfter healthy steps in a row after which an active alert clears, ≥ 1
 * @param entropy token-mean entropy, nats: an alert below the thresholds
 * @param topKMass top-k mass: an alert above the thresholds
 * @param klBudget sqrt(sequence KL): an alert above the thresholds
 * @param length mean length over its baseline: an alert below the thresholds
 * @param tradeoff the objective trade-off rule
 */
public record HealthSettings(OnAlert onAlert, String primaryObjective, int clearAfter, Thresholds entropy,
        Thresholds topKMass, Thresholds klBudget, Length length, Tradeoff tradeoff) {

    /** What a newly raised alert does: report it only, pause the run (as Control Pause), or stop it. */
    public enum OnAlert { WARN, PAUSE, STOP }

    /** A warning and a critical threshold of one signal; which side is bad is the rule's. */
    public record Thresholds(double warning, double critical) {}

    /**
     * @param baselineSteps when the reference length is unknown, the mean length of the run's first
     *     this many steps is the baseline
     */
    public record Length(double warning, double critical, int baselineSteps) {}

    /**
     * Falls and rises are measured between two adjacent windows of {@code window} steps, in units
     * of the objective's within-batch raw std over the earlier window (an effect size).
     *
     * @param window steps per window; 0 = the rule is off
     * @param warningFall primary fall that raises a warning
     * @param criticalFall primary fall that raises a critical alert, ≥ warningFall
     * @param minRise the rise another objective needs at the same time
     */
    public record Tradeoff(int window, double warningFall, double criticalFall, double minRise) {}

    public static final String PATH = "troupe.health";

    public static HealthSettings fromConfig(Config root) {
        ConfigReader r = ConfigReader.at(root, PATH);
        r.requireOnly(Set.of("on-alert", "primary-objective", "clear-after", "entropy", "topk-mass", "kl-budget",
                "length", "objective-tradeoff"));
        Thresholds entropy = thresholds(r.block("entropy"), 0, 100, false);
        Thresholds mass = thresholds(r.block("topk-mass"), 0, 1, true);
        Thresholds kl = thresholds(r.block("kl-budget"), 0, Double.POSITIVE_INFINITY, true);
        ConfigReader len = r.block("length");
        len.requireOnly(Set.of("warning", "critical", "baseline-steps"));
        Thresholds lt = thresholds(len, 0, 1, false);
        ConfigReader t = r.block("objective-tradeoff");
        t.requireOnly(Set.of("window", "warning-fall", "critical-fall", "min-rise"));
        double warnFall = t.doubleAbove("warning-fall", 0, 100);
        double critFall = t.doubleAbove("critical-fall", 0, 100);
        if (critFall < warnFall) {
            throw SettingsException.because(t.key("critical-fall"),
                    "must be >= warning-fall (" + warnFall + "), got " + critFall);
        }
        return new HealthSettings(r.enumOf("on-alert", OnAlert.class), r.string("primary-objective").trim(),
                r.intIn("clear-after", 1, 1_000_000), entropy, mass, kl,
                new Length(lt.warning(), lt.critical(), len.intIn("baseline-steps", 1, 1000)),
                new Tradeoff(t.intIn("window", 0, 10_000), warnFall, critFall, t.doubleAbove("min-rise", 0, 100)));
    }

    /** Reads warning/critical in [min, max]; the critical one must be the farther from health. */
    private static Thresholds thresholds(ConfigReader r, double min, double max, boolean highIsBad) {
        if (!r.has("baseline-steps")) {
            r.requireOnly(Set.of("warning", "critical"));
        }
        // Only an unbounded signal (the KL budget) may take "inf", which turns its rule off.
        double warning = Double.isInfinite(max) ? r.doubleOrInf("warning", min, max) : r.doubleIn("warning", min, max);
        double critical = Double.isInfinite(max) ? r.doubleOrInf("critical", min, max) : r.doubleIn("critical", min, max);
        if (highIsBad ? critical < warning : critical > warning) {
            throw SettingsException.because(r.key("critical"), "must be " + (highIsBad ? ">=" : "<=")
                    + " warning (" + warning + "), got " + critical);
        }
        return new Thresholds(warning, critical);
    }
}
