package troupe.core.health;

import java.util.Locale;

/** How far past its thresholds a signal is; each rule has a warning and a critical threshold. */
public enum Severity {
    WARNING,
    CRITICAL;

    /** "warning" / "critical", as events, stderr and metrics spell it. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
