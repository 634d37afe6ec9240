package troupe.core.health;

/**
 * One health alert: raised by {@link HealthWatch} when a signal crosses a threshold of
 * {@link HealthSettings}, active until the signal has stayed on the healthy side for
 * {@code clear-after} steps.
 *
 * @param step the step at which this alert (at this severity) was raised; an alert that becomes
 *     critical is raised again at the step it does
 * @param reason the reading of the latest step, e.g. "entropy 0.03 < 0.10"
 * @param value the signal at the latest step, in the rule's units
 * @param threshold the threshold crossed (the critical one when critical)
 */
public record HealthAlert(AlertKind kind, Severity severity, String reason, long step, double value,
        double threshold) {

    /** Whether this alert was raised at {@code atStep} (rather than still active from before). */
    public boolean raisedAt(long atStep) {
        return step == atStep;
    }
}
