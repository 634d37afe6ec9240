package troupe.events;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import troupe.core.engine.StepResult;
import troupe.core.rollout.RolloutBatch;
import troupe.core.rollout.Sample;
import troupe.core.reward.ScorerFault;
import troupe.core.rollout.StageTiming;
import troupe.core.rl.DynamicSampler;
import troupe.proto.v1.ClipStats;
import troupe.proto.v1.CriticStats;
import troupe.proto.v1.DynamicSamplingStats;
import troupe.proto.v1.Direction;
import troupe.proto.v1.EntropyStats;
import troupe.proto.v1.KlStats;
import troupe.proto.v1.LearnerEvent;
import troupe.proto.v1.LengthStats;
import troupe.proto.v1.LossStats;
import troupe.proto.v1.ObjectiveStats;
import troupe.proto.v1.ParetoAxis;
import troupe.proto.v1.ParetoPoint;
import troupe.proto.v1.PreferenceStats;
import troupe.proto.v1.RankingStats;
import troupe.proto.v1.RewardShapingStats;
import troupe.proto.v1.RunMarker;
import troupe.proto.v1.SampleResponse;
import troupe.proto.v1.ThroughputStats;

/** Builds the wire {@link LearnerEvent} from a core {@link StepResult} plus what the actor layer measured. */
public final class LearnerEvents {
    private LearnerEvents() {}

    /**
     * What the learner actor knows about a step beyond the engine's result.
     *
     * @param step 1-based step number
     * @param totalSteps steps planned; 0 = unbounded
     * @param batch the batch trained on, with every stage's timing
     * @param policyLag learner version before the step − batch version
     * @param staleDropped batches dropped so far for exceeding max-policy-lag
     * @param stepSeconds wall-clock since the previous step ended (or since the run started)
     * @param broadcastMillis time to deliver the new weights to every generator
     * @param unixMillis publication time
     * @param samples responses of the batch the event shows ({@link SampleChooser})
     * @param markers what happened to the run since the previous step
     */
    public record Step(String runId, long step, long totalSteps, RolloutBatch batch, long policyLag,
            long staleDropped, double stepSeconds, double broadcastMillis, long unixMillis,
            Optional<DynamicSampler.Stats> dynamicSampling, List<SampleResponse> samples, List<RunMarker> markers) {

        public Step {
            samples = List.copyOf(samples);
            markers = List.copyOf(markers);
        }

        /** A step trained on one rollout batch as it came (no dynamic sampling). */
        public Step(String runId, long step, long totalSteps, RolloutBatch batch, long policyLag, long staleDropped,
                double stepSeconds, double broadcastMillis, long unixMillis) {
            this(runId, step, totalSteps, batch, policyLag, staleDropped, stepSeconds, broadcastMillis, unixMillis,
                    Optional.empty(), List.of(), List.of());
        }

        /** The same step, published at {@code millis} after a weight broadcast of {@code broadcast} ms. */
        public Step published(double broadcast, long millis) {
            return new Step(runId, step, totalSteps, batch, policyLag, staleDropped, stepSeconds, broadcast, millis,
                    dynamicSampling, samples, markers);
        }
    }

    public static LearnerEvent toProto(Step s, StepResult r) {
        RolloutBatch batch = s.batch();
        Set<String> faulted = new HashSet<>();
        LearnerEvent.Builder e = LearnerEvent.newBuilder()
                .setRunId(s.runId())
                .setStep(s.step())
                .setTotalSteps(s.totalSteps())
                .setPolicyVersion(r.policyVersion())
                .setBatchId(batch.batchId())
                .setUnixMillis(s.unixMillis())
                .setWeightingStrategy(r.weightingStrategy())
                .setScalarRewardMean(r.scalarRewardMean())
                .setRewardMultiplier(r.rewardMultiplier())
                .setHypervolume(r.hypervolume())
                .setPolicyLag((int) s.policyLag())
                .setStaleBatchesDropped(s.staleDropped())
                .setZeroVarianceGroupFraction(r.zeroVarianceGroupFraction());
        for (ScorerFault f : batch.faults()) {
            faulted.add(f.objective());
            e.addFaults(troupe.proto.v1.ScorerFault.newBuilder().setObjective(f.objective())
                    .setKind(f.kind().name().toLowerCase(Locale.ROOT)).setDetail(f.detail()));
        }
        for (StepResult.ObjectiveStat o : r.objectives()) {
            e.addObjectives(ObjectiveStats.newBuilder()
                    .setName(o.name())
                    .setDirection(direction(o.direction()))
                    .setRawMean(o.rawMean()).setRawStd(o.rawStd()).setRawMin(o.rawMin()).setRawMax(o.rawMax())
                    .setNormalizedMean(o.normalizedMean()).setNormalizedStd(o.normalizedStd())
                    .setWeight(o.weight())
                    .setQuarantined(o.quarantined() || faulted.contains(o.name()))
                    .setHeldoutMean(o.heldoutMean()));
        }
        for (StepResult.ParetoPoint p : r.paretoFront()) {
            ParetoPoint.Builder pb = ParetoPoint.newBuilder().setStep(p.step());
            for (double v : p.values()) {
                pb.addValues(v);
            }
            e.addParetoFront(pb);
        }
        if (!r.paretoFront().isEmpty()) {
            // The front is built over the trained batch's reward columns (StepMetrics), restarted when they change.
            for (troupe.core.reward.Objective o : batch.objectives()) {
                e.addParetoAxes(ParetoAxis.newBuilder().setObjective(o.name()).setDirection(direction(o.direction()))
                        .setSign((int) o.direction().sign()));
            }
        }
        e.addAllSamples(s.samples()).addAllMarkers(s.markers());
        StepResult.Kl kl = r.kl();
        e.setKl(KlStats.newBuilder().setTokenMean(kl.tokenMean()).setSequenceMean(kl.sequenceMean())
                .setBudget(kl.budget()).setCoefficient(kl.coefficient()).setEstimator(kl.estimator()));
        StepResult.Entropy en = r.entropy();
        e.setEntropy(EntropyStats.newBuilder().setMean(en.mean()).setTopK(en.topK()).setTopKMass(en.topKMass())
                .setTopKEntropyRenormalized(en.topKEntropyRenormalized())
                .setTopKEntropyPartial(en.topKEntropyPartial()));
        StepResult.Loss l = r.loss();
        e.setLoss(LossStats.newBuilder().setTotal(l.total()).setPolicy(l.policy()).setValue(l.value())
                .setKl(l.kl()).setEntropyBonus(l.entropyBonus()).setGradNorm(l.gradNorm())
                .setLearningRate(l.learningRate()));
        StepResult.Clip c = r.clip();
        e.setClip(ClipStats.newBuilder().setClipFraction(c.clipFraction()).setDualClipFraction(c.dualClipFraction())
                .setApproxKlK1(c.approxKlK1()).setApproxKlK2(c.approxKlK2()).setRatioMean(c.ratioMean())
                .setRatioMax(c.ratioMax()));
        StepResult.Lengths len = r.lengths();
        e.setLengths(LengthStats.newBuilder().setResponseMean(len.responseMean()).setResponseMin(len.responseMin())
                .setResponseMax(len.responseMax()).setTruncationRate(len.truncationRate())
                .setReferenceMean(len.referenceMean()).setDrift(len.drift())
                .setRewardLengthCorr(len.rewardLengthCorrelation()));
        r.preference().ifPresent(p -> e.setPreference(PreferenceStats.newBuilder().setLoss(p.loss())
                .setLossValue(p.value()).setRewardAccuracy(p.rewardAccuracy()).setChosenReward(p.chosenReward())
                .setRejectedReward(p.rejectedReward()).setRewardMargin(p.margin()).setPairs(p.pairs())
                .setPairsSkipped(p.skipped()).setAlgorithm(p.family().algorithm())
                .setRankingAccuracy(p.ranking().accuracy()).setIdealisedRankingAccuracy(p.ranking().idealisedAccuracy())
                .setChosenLogpDrift(p.ranking().chosenDrift()).setRejectedLogpDrift(p.ranking().rejectedDrift())
                .setLcpoEpsilon(p.family().lcpoEpsilon()).setLcpoMeanWeight(p.family().lcpoMeanWeight())
                .setApoIteration(p.family().apoIteration()).setApoBoundary(p.family().apoBoundary())
                .setAugmentedPairs(p.family().augmentedPairs())
                .setGradientEntanglementCosine(p.ranking().entanglementCosine())));
        r.ranking().ifPresent(k -> e.setRanking(RankingStats.newBuilder().setAlgorithm(k.algorithm())
                .setLossValue(k.loss()).setKeptFraction(k.keptFraction()).setKeptRewardMean(k.keptRewardMean())
                .setKept(k.kept()).setGroups(k.groups()).setGroupsSkipped(k.groupsSkipped())
                .setListwiseLoss(k.listwise()).setSftLoss(k.sft()).setTopChoiceAccuracy(k.topChoiceAccuracy())));
        StepResult.Critic cr = r.critic();
        e.setCritic(CriticStats.newBuilder().setPresent(cr.present()).setValueClipFraction(cr.valueClipFraction())
                .setExplainedVariance(cr.explainedVariance()).setValueMean(cr.valueMean())
                .setReturnMean(cr.returnMean()));
        StepResult.Shaping sh = r.shaping();
        e.setShaping(RewardShapingStats.newBuilder().setKlInReward(sh.klInReward())
                .setKlPenaltyMean(sh.klPenaltyMean()).setOverlongPenaltyMean(sh.overlongPenaltyMean()));
        s.dynamicSampling().ifPresent(d -> {
            DynamicSamplingStats.Builder ds = DynamicSamplingStats.newBuilder().setEnabled(true)
                    .setGenerationBatches(d.parts().size()).setGroupsKept(d.groupsKept())
                    .setGroupsTarget(d.groupsTarget()).setGroupsDropped(d.groupsDropped())
                    .setCapReached(d.capReached());
            d.parts().forEach(p -> ds.addBatchIds(p.batchId()));
            e.setDynamicSampling(ds);
        });
        long tokens = 0;
        for (Sample smp : batch.samples()) {
            tokens += smp.responseTokens().length;
        }
        double secs = s.stepSeconds();
        e.setThroughput(ThroughputStats.newBuilder().setStepSeconds(secs)
                .setSamplesPerSecond(secs > 0 ? batch.size() / secs : 0)
                .setTokensPerSecond(secs > 0 ? tokens / secs : 0)
                .setWeightBroadcastMillis(s.broadcastMillis()));
        for (StageTiming t : batch.timings()) {
            e.addStageTimings(troupe.proto.v1.StageTiming.newBuilder().setStage(t.stage()).setMillis(t.millis())
                    .setNode(t.node()));
        }
        return e.build();
    }

    private static Direction direction(troupe.core.reward.Direction d) {
        return d == troupe.core.reward.Direction.MAXIMIZE ? Direction.MAXIMIZE : Direction.MINIMIZE;
    }
}
