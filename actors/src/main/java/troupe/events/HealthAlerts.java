package troupe.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import troupe.core.health.HealthAlert;
import troupe.core.health.HealthSignals;
import troupe.proto.v1.Direction;
import troupe.proto.v1.LearnerEvent;
import troupe.proto.v1.ObjectiveStats;

/** Health alerts at the edge: a {@link LearnerEvent} read as core {@link HealthSignals}, core alerts as proto. */
public final class HealthAlerts {

    private HealthAlerts() {}

    /**
     * What the rules read of an event. A quarantined objective is left out (its scorer failed on
     * the batch, so its mean says nothing about the policy); a missing top-k mass (k = 0) is NaN.
     */
    public static HealthSignals signals(LearnerEvent e) {
        List<HealthSignals.Objective> objectives = new ArrayList<>();
        for (ObjectiveStats o : e.getObjectivesList()) {
            if (!o.getQuarantined()) {
                objectives.add(new HealthSignals.Objective(o.getName(), o.getDirection() != Direction.MINIMIZE,
                        o.getRawMean(), o.getRawStd()));
            }
        }
        double mass = e.getEntropy().getTopK() == 0 ? Double.NaN : e.getEntropy().getTopKMass();
        return new HealthSignals(e.getStep(), e.getEntropy().getMean(), mass, e.getKl().getBudget(),
                e.getLengths().getResponseMean(), e.getLengths().getReferenceMean(), objectives);
    }

    /** {@code e} with {@code alerts} as its alerts field (replacing any). */
    public static LearnerEvent withAlerts(LearnerEvent e, List<HealthAlert> alerts) {
        LearnerEvent.Builder b = e.toBuilder().clearAlerts();
        alerts.forEach(a -> b.addAlerts(toProto(a)));
        return b.build();
    }

    public static troupe.proto.v1.HealthAlert toProto(HealthAlert a) {
        return troupe.proto.v1.HealthAlert.newBuilder().setKind(a.kind().wireName())
                .setSeverity(a.severity().wireName()).setReason(a.reason()).setStep(a.step()).setValue(a.value())
                .setThreshold(a.threshold()).build();
    }

    /** The alerts of {@code e} raised at its step. */
    public static List<troupe.proto.v1.HealthAlert> raised(LearnerEvent e) {
        return e.getAlertsList().stream().filter(a -> a.getStep() == e.getStep()).toList();
    }

    /** "ALERT step 12 entropy-collapse (critical): entropy 0.03 < 0.10", as stderr and `troupe watch` print it. */
    public static String line(troupe.proto.v1.HealthAlert a) {
        return String.format(Locale.ROOT, "ALERT step %d %s (%s): %s", a.getStep(), a.getKind(), a.getSeverity(),
                a.getReason());
    }
}
