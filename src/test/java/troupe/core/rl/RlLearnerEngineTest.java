package troupe.core.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import troupe.core.engine.StepResult;

class RlLearnerEngineTest {

    @TempDir
    Path dir;

    @Test
    void grpoRaisesTheRewardOfATinyRandomPolicy() {
        try (RlLoopFixture f = new RlLoopFixture("fixed-linear", 3e-3)) {
            double first = 0;
            double last = 0;
            int steps = 24;
            for (int s = 1; s <= steps; s++) {
                StepResult r = f.step(s).result();
                double mean = r.objectives().get(0).rawMean();
                if (s <= 4) {
                    first += mean / 4;
                }
                if (s > steps - 4) {
                    last += mean / 4;
                }
                assertEquals(s, r.policyVersion());
                assertTrue(Double.isFinite(r.loss().total()), "finite loss at step " + s);
            }
            assertTrue(last > first + 0.15, "reward should rise: first " + first + ", last " + last);
        }
    }

    @Test
    void generatorReplicaMatchesTheLearnerAfterABroadcast() {
        try (RlLoopFixture f = new RlLoopFixture("fixed-linear", 1e-2)) {
            StepResult r = f.step(1).result();
            assertEquals(1, f.generator.policyVersion());
            // the next batch's untruncated log-probs (generator) equal the learner's own scoring
            RlLoopFixture.StepOutcome next = f.step(2);
            float[] genLp = next.batch().samples().get(0).untruncatedLogprobs();
            // an independent replica given the learner's step-1 weights scores the generator's
            // tokens exactly as the generator did: the generator sampled from version 1
            try (PolicyReferenceEngine check = new PolicyReferenceEngine(
                    troupe.core.model.CausalLms.random(RlLoopFixture.CONFIG, f.manager, 99), f.manager, 16)) {
                WeightUpdates.toSnapshot(r.weights()).applyTo(checkModel(check));
                float[][] lp = check.referenceLogprobs(next.batch());
                for (int i = 0; i < lp.length; i++) {
                    float[] g = next.batch().samples().get(i).untruncatedLogprobs();
                    for (int t = 0; t < g.length; t++) {
                        assertEquals(g[t], lp[i][t], 1e-4, "sample " + i + " token " + t);
                    }
                }
            }
            assertEquals(r.weights().version() + 1, next.result().policyVersion());
            assertTrue(genLp.length > 0);
            assertTrue(next.result().clip().ratioMean() > 0.999 && next.result().clip().ratioMean() < 1.001,
                    "on-policy ratio is 1, got " + next.result().clip().ratioMean());
        }
    }

    private static troupe.core.model.ParameterStore checkModel(PolicyReferenceEngine e) {
        return e.model().parameters();
    }

    @Test
    void checkpointRestoreContinuesExactly() throws Exception {
        StepResult straight;
        try (RlLoopFixture f = new RlLoopFixture("hypervolume", 3e-3)) {
            f.step(1);
            f.step(2);
            straight = f.step(3).result();
        }
        StepResult resumed;
        try (RlLoopFixture a = new RlLoopFixture("hypervolume", 3e-3)) {
            a.step(1);
            a.step(2);
            a.learner.saveCheckpoint(dir);
            try (RlLoopFixture b = new RlLoopFixture("hypervolume", 3e-3)) {
                b.learner.restore(dir);
                b.generator.applyWeights(b.learner.currentWeights());
                b.prompts.seek(a.prompts.position());
                b.skipBatches(2);
                resumed = b.step(3).result();
            }
        }
        assertEquals(straight.policyVersion(), resumed.policyVersion());
        assertEquals(straight.loss().total(), resumed.loss().total(), 0.0);
        assertArrayEquals(straight.weights().chunks().get(0), resumed.weights().chunks().get(0));
        assertEquals(straight.weights().checksum(), resumed.weights().checksum());
        assertEquals(straight.rewardMultiplier(), resumed.rewardMultiplier(), 0.0);
    }

    @Test
    void setWeightingSwitchesStrategyAndRejectsUnknownNamesAndPartialWeights() {
        try (RlLoopFixture f = new RlLoopFixture("hypervolume", 3e-3)) {
            f.learner.addObjective(new troupe.core.reward.Objective("short", troupe.core.reward.Direction.MINIMIZE),
                    java.util.OptionalDouble.empty());
            java.util.Map<String, Double> w = f.learner.setWeighting("fixed-linear",
                    java.util.Map.of("low-bytes", 3.0, "short", 1.0));
            assertEquals(0.75, w.get("low-bytes"), 1e-12);
            assertEquals(0.25, w.get("short"), 1e-12);
            StepResult r = f.step(1).result();
            assertEquals("fixed-linear", r.weightingStrategy());
            // The batch has no "short" column, so this step weighs low-bytes alone; the state keeps 3:1.

            IllegalArgumentException unknown = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class, () -> f.learner.setWeighting("nope", java.util.Map.of()));
            assertTrue(unknown.getMessage().contains("supported"), unknown.getMessage());
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> f.learner.setWeighting("fixed-linear", java.util.Map.of("low-bytes", 1.0)));
            assertEquals(java.util.Map.of("low-bytes", 0.75, "short", 0.25), f.learner.setWeighting("fixed-linear",
                    java.util.Map.of("low-bytes", 3.0, "short", 1.0)), "a rejected change left the strategy as it was");
            assertEquals(2, f.learner.setWeighting("maxmin", java.util.Map.of()).size());
        }
    }
}
