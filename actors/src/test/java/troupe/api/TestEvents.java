package troupe.api;

import troupe.proto.v1.Direction;
import troupe.proto.v1.EntropyStats;
import troupe.proto.v1.KlStats;
import troupe.proto.v1.LearnerEvent;
import troupe.proto.v1.LengthStats;
import troupe.proto.v1.ObjectiveStats;
import troupe.proto.v1.ParetoPoint;
import troupe.proto.v1.ThroughputStats;

/** LearnerEvents with plausible, step-dependent values for tests and the dashboard. */
public final class TestEvents {
    private TestEvents() {}

    public static LearnerEvent step(long step) {
        return step(step, 2);
    }

    /** @param paretoPoints front size; larger makes the event larger on the wire */
    public static LearnerEvent step(long step, int paretoPoints) {
        double t = step / 10.0;
        double w = 0.5 + 0.3 * Math.sin(t);
        LearnerEvent.Builder b = LearnerEvent.newBuilder()
                .setRunId("test-run")
                .setStep(step)
                .setTotalSteps(1000)
                .setPolicyVersion(step)
                .setBatchId(step)
                .setUnixMillis(1_700_000_000_000L + step * 1000)
                .setWeightingStrategy("hypervolume")
                .addObjectives(ObjectiveStats.newBuilder().setName("correct").setDirection(Direction.MAXIMIZE)
                        .setRawMean(1 - Math.exp(-t)).setRawStd(0.2).setWeight(w).setHeldoutMean(Double.NaN))
                .addObjectives(ObjectiveStats.newBuilder().setName("length").setDirection(Direction.MINIMIZE)
                        .setRawMean(40 - 10 * Math.exp(-t) + 3 * Math.cos(t)).setRawStd(5).setWeight(1 - w)
                        .setHeldoutMean(Double.NaN))
                .setScalarRewardMean(0.3 + 0.05 * t)
                .setRewardMultiplier(1)
                .setHypervolume(0.1 * t)
                .setKl(KlStats.newBuilder().setTokenMean(0.01 * t).setSequenceMean(0.4 * t)
                        .setBudget(Math.sqrt(0.4 * t)).setCoefficient(0.05).setEstimator("k3"))
                .setEntropy(EntropyStats.newBuilder().setMean(2.5 - 0.05 * t).setTopK(20)
                        .setTopKMass(0.8 + 0.01 * Math.min(t, 15)))
                .setLengths(LengthStats.newBuilder().setResponseMean(30 + 5 * Math.sin(t)).setResponseMax(64))
                .setThroughput(ThroughputStats.newBuilder().setStepSeconds(1.5).setSamplesPerSecond(42.5 + Math.sin(t))
                        .setTokensPerSecond(1300));
        for (int i = 0; i < paretoPoints; i++) {
            double a = (i + 1.0) / (paretoPoints + 1.0);
            b.addParetoFront(ParetoPoint.newBuilder().addValues(a * (1 - Math.exp(-t))).addValues(40 - 20 * (1 - a))
                    .setStep(step));
        }
        return b.build();
    }
}
