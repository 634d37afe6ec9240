package troupe.api;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import troupe.proto.v1.LearnerEvent;

/**
 * Health alerts raised so far, by kind and severity (Prometheus {@code troupe_health_alerts_total}).
 * An event carries every active alert; only those raised at its step count, so an alert active for
 * many steps counts once. Starts at 0 in each process (a resumed run's counter restarts, which
 * Prometheus reads as a counter reset).
 */
public final class HealthAlertCounts {

    /** One series: its labels and its count. */
    public record Series(String kind, String severity, long count) {}

    private record Key(String kind, String severity) {}

    private final Map<Key, AtomicLong> counts = new ConcurrentHashMap<>();

    /** Counts the alerts {@code e} raised at its step. */
    void record(LearnerEvent e) {
        for (troupe.proto.v1.HealthAlert a : e.getAlertsList()) {
            if (a.getStep() == e.getStep()) {
                counts.computeIfAbsent(new Key(a.getKind(), a.getSeverity()), k -> new AtomicLong()).incrementAndGet();
            }
        }
    }

    /** Every series seen so far, by kind then severity. */
    public List<Series> series() {
        return counts.entrySet().stream()
                .map(en -> new Series(en.getKey().kind(), en.getKey().severity(), en.getValue().get()))
                .sorted(Comparator.comparing(Series::kind).thenComparing(Series::severity))
                .toList();
    }
}
