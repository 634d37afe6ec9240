package troupe.api.http;

import java.util.ArrayList;
import java.util.List;
import troupe.api.TestEvents;
import troupe.proto.v1.ClipStats;
import troupe.proto.v1.Direction;
import troupe.proto.v1.LearnerEvent;
import troupe.proto.v1.LossStats;
import troupe.proto.v1.ObjectiveScore;
import troupe.proto.v1.ObjectiveStats;
import troupe.proto.v1.ParetoAxis;
import troupe.proto.v1.ParetoPoint;
import troupe.proto.v1.RunMarker;
import troupe.proto.v1.SampleResponse;
import troupe.proto.v1.StageTiming;

/**
 * Events shaped like the learner's: objectives correct (maximise), length (minimise) and, until
 * {@code styleLeavesAt}, style (maximise); a front built as the core builds it, over the batch's
 * objectives in scorer order (style, length, correct) with the minimised one negated, from the
 * batch means of the last four steps, its axes named as the learner names them. Each step carries
 * two sample responses (best and worst of its first group); checkpoints are marked every
 * {@link #CHECKPOINT_EVERY} steps and style's leaving is marked on the step it leaves.
 */
final class DashboardStory {
    static final long CHECKPOINT_EVERY = 10;
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
        if (styleScored(step)) {
            b.addParetoAxes(axis("style", Direction.MAXIMIZE));
        }
        b.addParetoAxes(axis("length", Direction.MINIMIZE)).addParetoAxes(axis("correct", Direction.MAXIMIZE));
        b.addSamples(sample(step, "best", correct(step) + 0.2)).addSamples(sample(step, "worst", 0));
        if (step > 1 && (step - 1) % CHECKPOINT_EVERY == 0) { // the checkpoint of step - 1 rides on the next event
            b.addMarkers(RunMarker.newBuilder().setKind("checkpoint").setStep(step - 1)
                    .setDetail("step-%09d".formatted(step - 1)));
        }
        if (step == styleLeavesAt) {
            b.addMarkers(RunMarker.newBuilder().setKind("scorer-left").setStep(step).setDetail("style"));
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

    private static ParetoAxis axis(String name, Direction d) {
        return ParetoAxis.newBuilder().setObjective(name).setDirection(d).setSign(d == Direction.MINIMIZE ? -1 : 1)
                .build();
    }

    /** A response to the step's first prompt: its text names the step and the pick. */
    static SampleResponse sample(long step, String pick, double correct) {
        return SampleResponse.newBuilder().setPrompt("What is " + step + " + 1?").setResponse(pick + " answer of step " + step)
                .addScores(ObjectiveScore.newBuilder().setObjective("correct").setValue(correct))
                .addScores(ObjectiveScore.newBuilder().setObjective("length").setValue(length(step)))
                .setScalarReward(pick.equals("best") ? 0.8 : -0.8).setPick(pick).setResponseTokens(5).build();
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
