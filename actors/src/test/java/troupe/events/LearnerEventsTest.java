package troupe.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import troupe.core.engine.StepResult;
import troupe.core.reward.Direction;
import troupe.core.reward.Objective;
import troupe.core.rollout.RolloutBatch;
import troupe.core.rollout.Sample;
import troupe.core.rollout.StageTiming;
import troupe.proto.v1.LearnerEvent;
import troupe.proto.v1.ParetoAxis;
import troupe.testing.CountingLearnerEngine;
import troupe.testing.Doubles;

class LearnerEventsTest {

    /** Columns style (maximise) then length (minimise): the order the front's values follow. */
    private static RolloutBatch batch() {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            samples.add(Sample.sampled("p", 0, new int[] {5}, new int[] {1}, new float[1], new float[1], false, "q", "a",
                    "test", Map.of()));
        }
        return RolloutBatch.sampled("run", 1, 0, Doubles.SAMPLING, samples, new StageTiming("generate", 1, ""))
                .withRewards(List.of(new Objective("style", Direction.MAXIMIZE), new Objective("length", Direction.MINIMIZE)),
                        new float[][] {{0.3f, 0.3f}, {5, 5}}, List.of());
    }

    private static StepResult result(List<StepResult.ParetoPoint> front) {
        List<StepResult.ObjectiveStat> stats = List.of( // the engine's order: length first
                new StepResult.ObjectiveStat("length", Direction.MINIMIZE, 5, 0, 5, 5, 0, 0, 0.5, false, Double.NaN),
                new StepResult.ObjectiveStat("style", Direction.MAXIMIZE, 0.3, 0, 0.3, 0.3, 0, 0, 0.5, false, Double.NaN));
        return new StepResult(0, new CountingLearnerEngine().currentWeights(), stats, "fixed", 0.5, 1, 0, front, 0,
                new StepResult.Kl(0, 0, 0, 0, "k3"), new StepResult.Entropy(1, 5, 0.9, 1, 1),
                new StepResult.Loss(0, 0, 0, 0, 0, 0, 0), new StepResult.Clip(0, 0, 0, 0, 1, 1),
                new StepResult.Lengths(1, 1, 1, 0, Double.NaN, Double.NaN, 0));
    }

    private static LearnerEvents.Step step(RolloutBatch b) {
        return new LearnerEvents.Step("run", 1, 10, b, 0, 0, 1, 0, 0);
    }

    @Test
    void theFrontsAxesAreTheBatchColumnsWithTheirSignsNotTheObjectiveStatsOrder() {
        LearnerEvent e = LearnerEvents.toProto(step(batch()),
                result(List.of(new StepResult.ParetoPoint(new double[] {0.3, -5}, 1))));
        assertEquals(List.of("length", "style"), e.getObjectivesList().stream().map(o -> o.getName()).toList());
        List<ParetoAxis> axes = e.getParetoAxesList();
        assertEquals(List.of("style", "length"), axes.stream().map(ParetoAxis::getObjective).toList());
        assertEquals(List.of(1, -1), axes.stream().map(ParetoAxis::getSign).toList());
        assertEquals(troupe.proto.v1.Direction.MINIMIZE, axes.get(1).getDirection());
        assertEquals(e.getObjectives(0).getRawMean(), e.getParetoFront(0).getValues(1) * axes.get(1).getSign(), 0,
                "value × sign is the raw batch mean of the axis' objective");
    }

    @Test
    void noFrontNoAxes() {
        assertEquals(0, LearnerEvents.toProto(step(batch()), result(List.of())).getParetoAxesCount());
    }
}
