package troupe.core.rl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import troupe.core.model.CausalLms;
import troupe.core.reward.Direction;
import troupe.core.reward.Objective;
import troupe.core.rollout.RolloutBatch;
import troupe.core.rollout.Sample;
import troupe.core.rollout.StageTiming;

/** One GRPO step on hand-made samples moves log-probs the way the advantages say. */
class LearnerDirectionTest {

    @Test
    void aStepRaisesTheRewardedResponseAndLowersThePenalisedOne() {
        try (RlLoopFixture f = new RlLoopFixture("fixed-linear", 1e-3)) {
            int[] prompt = {256, 114, 101, 118, 58, 97, 98, 99, 61};
            int[] good = {99, 98, 97, 257};
            int[] bad = {97, 98, 99, 257};
            RolloutBatch b = batch(f, prompt, good, bad);
            float[][] before = f.reference.referenceLogprobs(b);
            b = b.withReferenceLogprobs(before);
            for (int s = 1; s <= 3; s++) {
                var r = f.learner.train(s, b.withReferenceLogprobs(before));
                f.generator.applyWeights(r.weights());
            }
            try (PolicyReferenceEngine after = new PolicyReferenceEngine(CausalLms.random(RlLoopFixture.CONFIG,
                    f.manager, 1), f.manager, 16)) {
                WeightUpdates.toSnapshot(f.learner.currentWeights()).applyTo(after.model().parameters());
                float[][] now = after.referenceLogprobs(b);
                double goodDelta = sum(now[0]) - sum(before[0]);
                double badDelta = sum(now[2]) - sum(before[2]);
                assertTrue(goodDelta > 0, "rewarded response log-prob should rise, changed by " + goodDelta);
                assertTrue(badDelta < 0, "penalised response log-prob should fall, changed by " + badDelta);
            }
        }
    }

    private static double sum(float[] x) {
        double s = 0;
        for (float v : x) {
            s += v;
        }
        return s;
    }

    /** Two groups: in each, the reversal scores 1 and the copy scores 0. */
    private static RolloutBatch batch(RlLoopFixture f, int[] prompt, int[] good, int[] bad) {
        float[] lpG = new float[good.length];
        float[] lpB = new float[bad.length];
        List<Sample> samples = List.of(
                Sample.sampled("p", 0, prompt, good, lpG, lpG, false, "", "cba", "reverse", Map.of()),
                Sample.sampled("p", 0, prompt, good, lpG, lpG, false, "", "cba", "reverse", Map.of()),
                Sample.sampled("p", 0, prompt, bad, lpB, lpB, false, "", "abc", "reverse", Map.of()),
                Sample.sampled("p", 0, prompt, bad, lpB, lpB, false, "", "abc", "reverse", Map.of()));
        Objective o = new Objective("low-bytes", Direction.MAXIMIZE);
        return RolloutBatch.sampled("run", 1, 0, RlLoopFixture.SAMPLING, samples, new StageTiming("generate", 0, ""))
                .withRewards(List.of(o), new float[][] {{1, 1, 0, 0}}, List.of());
    }
}
