package troupe.roles;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import org.slf4j.Logger;
import troupe.core.engine.LearnerEngine;
import troupe.core.rollout.RolloutBatch;

/**
 * The objectives the learner's engine holds, kept in step with the batches: an objective with a
 * column or a fault in a batch is live (a faulted scorer keeps its weighting state); a new column
 * joins the engine; any other objective the engine holds has left the run.
 */
final class ObjectiveRoster {
    private final Set<String> objectives = new HashSet<>();
    /** Initial shares announced for objectives whose column has not arrived yet. */
    private final Map<String, Double> expected = new HashMap<>();
    private final LearnerEngine engine;
    private final Logger log;

    ObjectiveRoster(LearnerEngine engine, Logger log) {
        this.engine = engine;
        this.log = log;
        engine.objectives().forEach(o -> objectives.add(o.name()));
    }

    /** {@code name} starts at {@code share} of the simplex when its column first arrives. */
    void expect(String name, double share) {
        expected.put(name, share);
    }

    /** Tells the engine which objectives joined or left before it trains step {@code nextStep}. */
    void reconcile(RolloutBatch batch, long nextStep) {
        Set<String> live = new HashSet<>();
        batch.faults().forEach(f -> live.add(f.objective()));
        for (var o : batch.objectives()) {
            live.add(o.name());
            if (objectives.add(o.name())) {
                Double share = expected.remove(o.name());
                log.info("objective '{}' joined at step {}{}", o.name(), nextStep,
                        share == null ? "" : " with initial weight " + share);
                engine.addObjective(o, share == null ? OptionalDouble.empty() : OptionalDouble.of(share));
            }
        }
        for (String name : List.copyOf(objectives)) {
            if (!live.contains(name)) {
                log.info("objective '{}' left at step {}", name, nextStep);
                engine.removeObjective(name);
                objectives.remove(name);
            }
        }
    }
}
