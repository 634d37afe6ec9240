package troupe.roles;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import troupe.core.engine.StepResult;
import troupe.events.LearnerEvents;
import troupe.proto.v1.LearnerEvent;

/**
 * Trained steps whose events wait for their weights to reach the generators. Steps settle in
 * order: a step's event goes out once its own weights are delivered. Reports of concurrent
 * broadcasts (max-policy-lag &gt; 0) may arrive out of order, so a report for a later version
 * waits until the earlier ones are in.
 */
final class PendingEvents {
    private record Pending(LearnerEvents.Step step, StepResult result) {}

    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final Map<Long, WeightBroadcast.Finished> delivered = new HashMap<>();

    void add(LearnerEvents.Step step, StepResult result) {
        pending.add(new Pending(step, result));
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }

    /** Records that the weights of {@code done.version()} reached the generators. */
    void delivered(WeightBroadcast.Finished done) {
        delivered.put(done.version(), done);
    }

    /** The next step's event if its weights are delivered (with the transfer time), else null. */
    LearnerEvent pollReady() {
        if (pending.isEmpty() || !delivered.containsKey(pending.peek().result().policyVersion())) {
            return null;
        }
        Pending p = pending.poll();
        WeightBroadcast.Finished d = delivered.remove(p.result().policyVersion());
        return LearnerEvents.toProto(p.step().published(d.millis(), System.currentTimeMillis()), p.result());
    }
}
