package troupe.api.http;

import java.util.ArrayList;
import java.util.List;
import troupe.api.TestEvents;
import troupe.proto.v1.ClipStats;
import troupe.proto.v1.Direction;
import troupe.proto.v1.LearnerEvent;
import troupe.proto.v1.LossStats;
import troupe.proto.v1.ObjectiveStats;
import troupe.proto.v1.ParetoPoint;
import troupe.proto.v1.StageTiming;

/**
 * Events shaped like the learner's: objectives correct (maximise), length (minimise) and, until
 * {@code styleLeavesAt}, style (maximise); a front built as the core builds it, over the batch's
 * objectives in scorer order (style, length, correct) with the minimised one negated, from the
 * batch means of the last four steps.
 */
final class DashboardStory {
    private final long styleLeavesAt;

    DashboardStory(long styleLeavesAt) {
        this.styleLeavesAt = styleLeavesAt;
    }

    static double correct(long step) {
        return TestEvents.step(step, 0).getObjectives(0).getRawMean();
    }

    static double length(long step) {
        return TestEvents.step(step, 0).getObjectives(1).getRawMean();
    }

    static double style(long step) {
        return 0.2 + 0.01 * step;
    }

    boolean styleScored(long step) {
        return step < styleLeavesAt;
    }

    LearnerEvent step(long step) {
        LearnerEvent.Builder b = TestEvents.step(step, 0).toBuilder()
                .setLoss(LossStats.newBuilder().setTotal(0.5 - 0.001 * step).setPolicy(0.4).setGradNorm(1 + 0.1 * step)
                        .setLearningRate(1e-5))
                .setClip(ClipStats.newBuilder().setClipFraction(0.05).setApproxKlK1(0.002).setApproxKlK2(0.001))
                .addStageTimings(StageTiming.newBuilder().setStage("generate").setMillis(900))
                .addStageTimings(StageTiming.newBuilder().setStage("learn").setMillis(400));
        if (styleScored(step)) {
            b.addObjectives(ObjectiveStats.newBuilder().setName("style").setDirection(Direction.MAXIMIZE)
                    .setRawMean(style(step)).setWeight(0.1).setHeldoutMean(Double.NaN));
        }
        for (long s = Math.max(1, step - 3); s <= step; s++) {
            if (styleScored(s) != styleScored(step)) {
                continue; // the core restarts its front when the objectives change
            }
            ParetoPoint.Builder p = ParetoPoint.newBuilder().setStep(s);
            if (styleScored(s)) {
                p.addValues(style(s));
            }
            b.addParetoFront(p.addValues(-length(s)).addValues(correct(s)));
        }
        return b.build();
    }

    /** The front of {@code step} as the page must draw it for the pair (correct, other): raw units. */
    List<double[]> expectedFront(long step, boolean otherIsStyle) {
        List<double[]> out = new ArrayList<>();
        for (ParetoPoint p : step(step).getParetoFrontList()) {
            out.add(new double[] {correct(p.getStep()), otherIsStyle ? style(p.getStep()) : length(p.getStep())});
        }
        out.sort((a, c) -> Double.compare(a[0], c[0]));
        return out;
    }
}
