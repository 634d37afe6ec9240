package troupe.roles;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import troupe.core.engine.LearnerEngine;
import troupe.core.engine.StepResult;
import troupe.core.reward.Objective;
import troupe.core.rollout.RolloutBatch;
import troupe.core.rollout.StageTiming;
import troupe.events.LearnerEvents;
import troupe.events.SampleChooser;
import troupe.proto.v1.RunMarker;

/**
 * Trains one assembled step on the {@link Learner}'s engine: the engine's objectives made to match
 * the batch ({@link ObjectiveRoster}), the step counted in the books and the ledger, timed, and its
 * event built (published once its weights reach the generators, {@link PendingEvents}). Owned by
 * the learner; not thread-safe.
 */
final class StepTrainer {

    /** A trained step: the engine's result and the event that reports it. */
    record Trained(StepResult result, LearnerEvents.Step event) {}

    private final LearnerEngine engine;
    private final LearnerRunSettings settings;
    private final LearnerBook book;
    private final StepAssembly assembly;
    private final ObjectiveRoster objectives;
    private final String address;
    private final RunMarkers markers;
    private long lastStepEndNanos = System.nanoTime();

    /** @param address this node's address, named in the step's timing */
    StepTrainer(LearnerEngine engine, LearnerRunSettings settings, LearnerBook book, StepAssembly assembly,
            String address, Logger log) {
        this.engine = engine;
        this.settings = settings;
        this.book = book;
        this.assembly = assembly;
        this.objectives = new ObjectiveRoster(engine, log);
        this.address = address;
        this.markers = new RunMarkers(book.lastCheckpoint());
    }

    /** What happened between steps, carried by the next step's event. */
    RunMarkers markers() {
        return markers;
    }

    /** The objective {@code name}, when its column first arrives, starts at {@code share} of the weight simplex. */
    void expectObjective(String name, double share) {
        objectives.expect(name, share);
    }

    /** Trains the step that {@code completing} completed as {@code ready}. */
    Trained train(RolloutBatch completing, StepAssembly.Step ready) {
        RolloutBatch batch = ready.batch();
        long lag = engine.policyVersion() - batch.policyVersion();
        Set<String> before = objectiveNames();
        objectives.reconcile(batch, book.step() + 1);
        markers.objectives(before, objectiveNames(), book.step() + 1);
        List<RunMarker> marked = markers.drain(book.lastCheckpoint(), book.step());
        long start = System.nanoTime();
        StepResult result = engine.train(book.step() + 1, batch);
        book.trained(completing.batchId());
        assembly.trained(completing, ready, book.step());
        long end = System.nanoTime();
        RolloutBatch timed = batch.withTiming(new StageTiming("learn", (end - start) / 1e6, address));
        // Phases inside "learn" ("learn:advantages", "learn:optimizer"), as "reward:<objective>" inside "reward".
        for (var phase : engine.lastPhaseMillis().entrySet()) {
            timed = timed.withTiming(new StageTiming("learn:" + phase.getKey(), phase.getValue(), address));
        }
        LearnerEvents.Step event = new LearnerEvents.Step(settings.runId(), book.step(), settings.totalSteps(), timed,
                lag, book.staleDropped(), (end - lastStepEndNanos) / 1e9, 0, 0, ready.assembled(),
                SampleChooser.choose(timed, engine.lastScalarRewards(), settings.samples()), marked);
        lastStepEndNanos = end;
        return new Trained(result, event);
    }

    private Set<String> objectiveNames() {
        return engine.objectives().stream().map(Objective::name).collect(Collectors.toSet());
    }
}
