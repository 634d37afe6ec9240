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
            OverlongSettings ov = new OverlongSettings(RlLoopFixture.SAMPLING.maxNewTokens(), 4, 1.0);
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
            RolloutBatch b = one.sample();
            RolloutBatch same = two.sample();
            // Presented as sampled by another version, the batch takes the path with the old-log-prob
            // forward (and importance weights old/behaviour, ≈ 1 here: the sampler is untruncated at T = 1).
            RolloutBatch twoPass = new RolloutBatch(same.runId(), same.batchId(), same.policyVersion() + 7,
                    same.sampling(), same.samples(), same.objectives(), same.faults(), same.timings(),
                    same.createdUnixMillis());
            StepResult a = one.learner.train(1, b);
            StepResult c = two.learner.train(1, twoPass);
            assertEquals(1.0, a.clip().ratioMean(), 0, "old = the training forward's own log-probs, detached");
            assertEquals(c.loss().policy(), a.loss().policy(), 1e-5);
            assertEquals(c.entropy().mean(), a.entropy().mean(), 1e-6, "health metrics from the training forward");
            assertEquals(c.entropy().topKMass(), a.entropy().topKMass(), 1e-6);
            assertEquals(c.kl().tokenMean(), a.kl().tokenMean(), 1e-6);
            assertEquals(c.loss().gradNorm(), a.loss().gradNorm(), 1e-4 * c.loss().gradNorm());
        }
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
