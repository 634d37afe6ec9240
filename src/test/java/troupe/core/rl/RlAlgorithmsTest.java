package troupe.core.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import troupe.core.algo.dapo.OverlongPenalty;
import troupe.core.algo.dapo.OverlongSettings;
import troupe.core.config.SettingsException;
import troupe.core.engine.StepResult;
import troupe.core.rollout.RolloutBatch;
import troupe.core.rollout.Sample;

/** Each advantage estimator / DAPO feature switched on by config alone, on the tiny loop of {@link RlLoopFixture}. */
class RlAlgorithmsTest {
    private static final String GAE = "troupe.learner.advantage.estimator = gae";

    @TempDir
    Path dir;

    @Test
    void gaeTrainsAValueHeadWhoseLossFallsOnAFixedBatch() {
        try (RlLoopFixture f = new RlLoopFixture("fixed-linear", 3e-3, GAE)) {
            RolloutBatch batch = f.sample();
            StepResult first = null;
            StepResult last = null;
            for (int s = 1; s <= 16; s++) {
                last = f.learner.train(s, batch);
                first = first == null ? last : first;
                assertTrue(Double.isFinite(last.loss().total()), "finite loss at step " + s);
                assertTrue(last.critic().present());
                assertTrue(last.loss().value() > 0, "value loss at step " + s);
                assertTrue(last.critic().valueClipFraction() >= 0 && last.critic().valueClipFraction() <= 1);
                assertTrue(last.shaping().klInReward(), "gae puts the KL into the token rewards by default");
                assertEquals(0, last.loss().kl(), 0, "and not also into the loss");
            }
            assertTrue(last.loss().value() < 0.5 * first.loss().value(),
                    "the critic fits the returns: value loss " + first.loss().value() + " -> " + last.loss().value());
            assertTrue(last.critic().explainedVariance() > first.critic().explainedVariance(),
                    "explained variance " + first.critic().explainedVariance() + " -> "
                            + last.critic().explainedVariance());
        }
    }

    @Test
    void gaeResumesExactlyWithItsValueHead() throws Exception {
        StepResult straight;
        try (RlLoopFixture f = new RlLoopFixture("hypervolume", 3e-3, GAE)) {
            f.step(1);
            f.step(2);
            straight = f.step(3).result();
        }
        StepResult resumed;
        try (RlLoopFixture a = new RlLoopFixture("hypervolume", 3e-3, GAE)) {
            a.step(1);
            a.step(2);
            a.learner.saveCheckpoint(dir);
            try (RlLoopFixture b = new RlLoopFixture("hypervolume", 3e-3, GAE)) {
                b.learner.restore(dir);
                b.generator.applyWeights(b.learner.currentWeights());
                b.prompts.seek(a.prompts.position());
                b.skipBatches(2);
                resumed = b.step(3).result();
            }
        }
        assertEquals(straight.critic().valueMean(), resumed.critic().valueMean(), 0.0, "the trained head came back");
        assertEquals(straight.loss().value(), resumed.loss().value(), 0.0);
        assertEquals(straight.loss().total(), resumed.loss().total(), 0.0);
        assertEquals(straight.weights().checksum(), resumed.weights().checksum());
    }

    @Test
    void reinforcePlusPlusCarriesTheKlInTheTokenRewardsNotInTheLoss() {
        String conf = "troupe.learner.advantage.estimator = \"reinforce++\"\ntroupe.learner.kl-controller.kl-coef = 0.05";
        try (RlLoopFixture f = new RlLoopFixture("fixed-linear", 1e-2, conf)) {
            StepResult r = null;
            for (int s = 1; s <= 3; s++) {
                r = f.step(s).result();
                assertTrue(Double.isFinite(r.loss().total()));
                assertTrue(r.shaping().klInReward());
                assertEquals("k1", r.kl().estimator());
                assertEquals(0, r.loss().kl(), 0, "KL is in the reward, so no KL loss term");
                // the penalty subtracted from the token rewards is β times the step's k1 token-mean
                assertEquals(0.05 * r.kl().tokenMean(), r.shaping().klPenaltyMean(), 1e-9);
                assertFalse(r.critic().present());
            }
            assertNotEquals(0, r.shaping().klPenaltyMean(), "the policy has left the reference by step 3");
        }
    }

    @Test
    void klInTheRewardIsRefusedForAnEstimatorThatIgnoresTokenRewards() {
        SettingsException e = assertThrows(SettingsException.class, () -> LearnerSettings.fromConfig(ConfigFactory
                .parseString("troupe.learner.kl.placement = reward")
                .withFallback(RlLoopFixture.config("fixed-linear", 1e-3)).resolve(), 10));
        assertEquals("troupe.learner.kl.placement", e.key());
        SettingsException remax = assertThrows(SettingsException.class, () -> LearnerSettings.fromConfig(ConfigFactory
                .parseString("troupe.learner.advantage.estimator = remax")
                .withFallback(RlLoopFixture.config("fixed-linear", 1e-3)).resolve(), 10));
        assertTrue(remax.getMessage().contains("greedy"), remax.getMessage());
    }

    @Test
    void dapoDropsAZeroVarianceGroupFillsTheStepAndShapesOverlongAnswers() {
        String conf = "troupe.learner.kl-controller.kl-coef = 0\ntroupe.learner.overlong { enabled = true, buffer = 4 }"
                + "\ntroupe.learner.dynamic-sampling.enabled = true";
        try (RlLoopFixture f = new RlLoopFixture("fixed-linear", 3e-3, conf)) {
            LearnerSettings s = LearnerSettings.fromConfig(ConfigFactory.parseString(conf)
                    .withFallback(RlLoopFixture.config("fixed-linear", 3e-3)).resolve(), 10);
            DynamicSampler sampler = new DynamicSampler(s.dynamicSampling().orElseThrow(), 4);
            RolloutBatch first = tieFirstGroup(f.sample());
            String tied = first.samples().get(0).promptId();
            DynamicSampler.Outcome o = sampler.offer(first);
            assertInstanceOf(DynamicSampler.Waiting.class, o, "a group was dropped, so the step is not full");
            for (int i = 0; i < 5 && o instanceof DynamicSampler.Waiting; i++) {
                o = sampler.offer(f.sample());
            }
            DynamicSampler.Ready ready = assertInstanceOf(DynamicSampler.Ready.class, o);
            RolloutBatch merged = ready.batch();
            assertTrue(ready.stats().groupsDropped() >= 1);
            assertEquals(4, ready.stats().groupsKept());
            assertTrue(merged.samples().stream().noneMatch(x -> x.promptId().equals(tied) && x.groupId() == 0
                    && merged.batchId() == first.batchId()));
            assertEquals(32, merged.size());
            StepResult r = f.train(1, merged).result();
            assertTrue(Double.isFinite(r.loss().total()));
            assertEquals(0, r.zeroVarianceGroupFraction(), 0, "only groups with signal were trained on");
            OverlongSettings ov = s.overlong().orElseThrow().forLimit(RlLoopFixture.SAMPLING.maxNewTokens());
            double expected = merged.samples().stream()
                    .mapToDouble(x -> OverlongPenalty.of(x.responseTokens().length, ov)).average().orElseThrow();
            assertEquals(expected, r.shaping().overlongPenaltyMean(), 1e-12);
            assertTrue(expected < 0, "some answers ran into the buffer");
        }
    }

    @Test
    void anOnPolicySinglePassStepMatchesTheStepWithASeparateOldLogProbPass() {
        try (RlLoopFixture one = new RlLoopFixture("fixed-linear", 3e-3);
                RlLoopFixture two = new RlLoopFixture("fixed-linear", 3e-3)) {
            two.learner.allowSinglePass(false);
            StepResult a = one.learner.train(1, one.sample());
            StepResult c = two.learner.train(1, two.sample());
            assertEquals(1.0, a.clip().ratioMean(), 0, "old = the training forward's own log-probs, detached");
            assertSameStep(c, a);
        }
    }

    @Test
    void aBatchOneVersionBehindTrainsInOnePassLikeTheStepWithASeparateOldLogProbPass() {
        try (RlLoopFixture one = new RlLoopFixture("fixed-linear", 3e-2);
                RlLoopFixture two = new RlLoopFixture("fixed-linear", 3e-2);
                RlLoopFixture onPolicy = new RlLoopFixture("fixed-linear", 3e-2)) {
            two.learner.allowSinglePass(false);
            // max-policy-lag 1: batch 2 is sampled before batch 1 is trained, so the learner is one
            // version ahead of it and weighs it by min(π_old/π_behaviour, C).
            RolloutBatch[] a = {one.sample(), one.sample()};
            RolloutBatch[] c = {two.sample(), two.sample()};
            RolloutBatch[] d = {onPolicy.sample(), onPolicy.sample()};
            one.learner.train(1, a[0]);
            two.learner.train(1, c[0]);
            onPolicy.learner.train(1, d[0]);
            StepResult single = one.learner.train(2, a[1]);
            StepResult twoPass = two.learner.train(2, c[1]);
            // The same batch presented as sampled by the learner's version: no importance weights.
            StepResult unweighted = onPolicy.learner.train(2, new RolloutBatch(d[1].runId(), d[1].batchId(),
                    onPolicy.learner.policyVersion(), d[1].sampling(), d[1].samples(), d[1].objectives(),
                    d[1].faults(), d[1].timings(), d[1].createdUnixMillis()));
            assertEquals(1.0, single.clip().ratioMean(), 0, "old = the training forward's own log-probs, detached");
            assertSameStep(twoPass, single);
            assertTrue(Math.abs(unweighted.loss().policy() - single.loss().policy()) > 1e-4,
                    "the importance weights count: " + unweighted.loss().policy() + " vs " + single.loss().policy());
        }
    }

    /** Loss, gradient and health metrics of one step through both paths agree to float rounding. */
    private static void assertSameStep(StepResult expected, StepResult actual) {
        assertEquals(expected.loss().policy(), actual.loss().policy(), 1e-5);
        assertEquals(expected.entropy().mean(), actual.entropy().mean(), 1e-6, "health metrics from the training forward");
        assertEquals(expected.entropy().topKMass(), actual.entropy().topKMass(), 1e-6);
        assertEquals(expected.kl().tokenMean(), actual.kl().tokenMean(), 1e-6);
        assertEquals(expected.loss().gradNorm(), actual.loss().gradNorm(), 1e-4 * expected.loss().gradNorm());
    }

    /** The batch with every sample of its first group given the same score. */
    private static RolloutBatch tieFirstGroup(RolloutBatch b) {
        long group = b.samples().get(0).groupId();
        float[] col = new float[b.size()];
        for (int i = 0; i < col.length; i++) {
            Sample x = b.samples().get(i);
            col[i] = x.groupId() == group ? 0.5f : x.rewards()[0];
        }
        RolloutBatch tied = b.withRewards(b.objectives(), new float[][] {col}, List.of());
        assertArrayEquals(new float[] {0.5f}, tied.samples().get(1).rewards());
        return tied;
    }
}
