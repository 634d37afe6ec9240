package troupe.core.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import troupe.core.algo.preference.ApoExtrapolation;
import troupe.core.engine.LearnerEngine;
import troupe.core.engine.Prompt;
import troupe.core.engine.RolloutRequest;
import troupe.core.engine.StepResult;
import troupe.core.engine.WeightUpdate;
import troupe.core.model.CausalLms;
import troupe.core.model.hf.ByteTokenizer;
import troupe.core.model.hf.PromptFormat;
import troupe.core.model.train.TrainablePolicy;
import troupe.core.reward.Direction;
import troupe.core.reward.Objective;
import troupe.core.rollout.RolloutBatch;
import troupe.core.task.TaskRegistry;

/**
 * A few steps of LCPO, APO and reward-augmented pairs on the reverse demo task with a tiny policy,
 * its reference and a generator built from the same weights (as {@link OnlineDpoEngineTest}).
 */
class PreferenceFamilyEngineTest {
    private static final Objective GOOD = new Objective("good", Direction.MAXIMIZE);
    private static final int PROMPTS = 4;
    private static final int GROUP = 4;

    @TempDir
    Path dir;

    private static final class Fixture implements AutoCloseable {
        final NDManager manager = NDManager.newBaseManager();
        final LearnerEngine learner;
        final PolicyReferenceEngine reference;
        final PolicyRolloutEngine generator;
        final TaskPromptSource prompts = new TaskPromptSource(TaskRegistry.create("reverse", ConfigFactory.empty()),
                new ByteTokenizer(), 3, 64);
        final RolloutBatch sampled;

        Fixture(String algorithm, String extra) {
            this(algorithm, extra, 1e-2);
        }

        Fixture(String algorithm, String extra, double learningRate) {
            Config config = ConfigFactory.parseString("troupe.learner.micro-batch = 4\n"
                    + "troupe.learner.algorithm = " + algorithm + "\ntroupe.learner.preference.min-reward-gap = 0\n"
                    + extra).withFallback(RlLoopFixture.config("hypervolume", learningRate)).resolve();
            LearnerSettings settings = LearnerSettings.fromConfig(config, 100);
            learner = LearnerAlgorithm.fromConfig(config).engine(new TrainablePolicy(
                    CausalLms.random(RlLoopFixture.CONFIG, manager, 5), null, settings.optimizer(), manager),
                    settings, List.of(GOOD), manager, new ByteTokenizer());
            reference = new PolicyReferenceEngine(CausalLms.random(RlLoopFixture.CONFIG, manager, 5), manager, 16);
            generator = new PolicyRolloutEngine(CausalLms.random(RlLoopFixture.CONFIG, manager, 5), new ByteTokenizer(),
                    manager, 0, "");
            sampled = sample(1);
        }

        RolloutBatch sample(long batchId) {
            return generator.generate(new RolloutRequest("run", batchId, prompts.next(PROMPTS), GROUP,
                    RlLoopFixture.SAMPLING));
        }

        /** {@code b} scored 1 for the first sample of each group and 0 for the others, with reference log-probs. */
        RolloutBatch scored(RolloutBatch b) {
            float[] good = new float[b.size()];
            Set<Long> seen = new HashSet<>();
            for (int i = 0; i < good.length; i++) {
                good[i] = seen.add(b.samples().get(i).groupId()) ? 1 : 0;
            }
            RolloutBatch r = b.withRewards(List.of(GOOD), new float[][] {good}, List.of());
            return r.withReferenceLogprobs(reference.referenceLogprobs(r));
        }

        @Override
        public void close() {
            LearnerEngines.close(learner);
            reference.close();
            generator.close();
            manager.close();
        }
    }

    private static Map<String, float[]> weights(WeightUpdate u) {
        return WeightUpdates.toSnapshot(u).decode();
    }

    @Test
    void lcpoStartsAtTheLabelPriorThenTrustsTheLabelsMoreAsTheMarginGrows() {
        try (Fixture f = new Fixture("lcpo", "")) {
            RolloutBatch batch = f.scored(f.sampled);
            StepResult.Preference first = f.learner.train(1, batch).preference().orElseThrow();
            // policy = reference: P = ½, so w = 1 − ε₀ = 0.9 for every pair and η = 0.9η + 0.1·0.9 stays 0.9
            assertEquals("lcpo", first.family().algorithm());
            assertEquals(0.9, first.family().lcpoMeanWeight(), 1e-6);
            assertEquals(0.1, first.family().lcpoEpsilon(), 1e-6);
            assertEquals(Math.log(2), first.value(), 1e-5, "w·softplus(0) + (1 − w)·softplus(0)");
            assertEquals(0, first.ranking().chosenDrift(), 1e-4);
            StepResult.Preference last = first;
            for (int s = 2; s <= 6; s++) {
                last = f.learner.train(s, batch).preference().orElseThrow();
            }
            assertTrue(last.family().lcpoMeanWeight() > 0.9, "pairs ranked right weigh more: " + last.family());
            assertTrue(last.family().lcpoEpsilon() < 0.1, "ε falls: " + last.family());
            assertTrue(last.margin() > 0);
        }
    }

    @Test
    void lcpoWithoutLabelNoiseIsOnlineDpo() {
        try (Fixture lcpo = new Fixture("lcpo", "troupe.learner.lcpo.initial-epsilon = 0");
                Fixture dpo = new Fixture("online-dpo", "")) {
            RolloutBatch batch = lcpo.scored(lcpo.sampled);
            for (int s = 1; s <= 3; s++) {
                StepResult a = lcpo.learner.train(s, batch);
                StepResult b = dpo.learner.train(s, batch);
                assertEquals(b.preference().orElseThrow().value(), a.preference().orElseThrow().value(), 1e-5);
                assertEquals(0.0, a.preference().orElseThrow().family().lcpoEpsilon(), 0.0);
                // equal up to float rounding, which AdamW's m/√v scales up for gradients near 0
                weights(b.weights()).forEach((name, v) -> assertArrayEquals(v, weights(a.weights()).get(name), 1e-4f, name));
            }
        }
    }

    @Test
    void lcpoEpsilonIsCheckpointed() throws Exception {
        StepResult straight;
        try (Fixture f = new Fixture("lcpo", "")) {
            RolloutBatch batch = f.scored(f.sampled);
            for (int s = 1; s <= 3; s++) {
                f.learner.train(s, batch);
            }
            f.learner.saveCheckpoint(dir);
            straight = f.learner.train(4, batch);
        }
        try (Fixture g = new Fixture("lcpo", "")) {
            g.learner.restore(dir);
            StepResult resumed = g.learner.train(4, g.scored(g.sampled));
            assertNotEquals(0.1, resumed.preference().orElseThrow().family().lcpoEpsilon(), 1e-9);
            assertEquals(straight.preference(), resumed.preference());
            assertEquals(straight.weights().checksum(), resumed.weights().checksum());
        }
    }

    @Test
    void apoBoundaryExtrapolatesAndTheReferenceTakesTheAnchor() {
        try (Fixture apo = new Fixture("apo", "troupe.learner.apo { alpha = 0.3, iteration-steps = 2 }");
                Fixture dpo = new Fixture("online-dpo", "")) {
            RolloutBatch batch = apo.scored(apo.sampled);
            Map<String, float[]> start = weights(apo.learner.currentWeights());
            StepResult a1 = apo.learner.train(1, batch);
            dpo.learner.train(1, batch);
            assertTrue(apo.learner.takeReferenceUpdate().isEmpty(), "no boundary after step 1");
            assertFalse(a1.preference().orElseThrow().family().apoBoundary());
            StepResult a2 = apo.learner.train(2, batch);
            StepResult d2 = dpo.learner.train(2, batch);
            StepResult.Family fam = a2.preference().orElseThrow().family();
            assertTrue(fam.apoBoundary());
            assertEquals(1, fam.apoIteration());
            // θ̂ = θ₂ + 0.3(θ₂ − θ₀), θ₂ being what online DPO reached on the same steps
            Map<String, float[]> expected = ApoExtrapolation.extrapolate(start, weights(d2.weights()), 0.3);
            expected.forEach((name, v) -> assertArrayEquals(v, weights(a2.weights()).get(name), 1e-5f, name));
            WeightUpdate anchor = apo.learner.takeReferenceUpdate().orElseThrow();
            assertEquals(2, anchor.version());
            assertEquals(a2.weights().checksum(), anchor.checksum(), "the anchor is the step's own weights");
            assertTrue(apo.learner.takeReferenceUpdate().isEmpty(), "handed over once");

            // a batch sampled before the boundary carries the old anchor's log-probs: no pair from it
            StepResult.Preference stale = apo.learner.train(3, batch).preference().orElseThrow();
            assertEquals(0, stale.pairs());
            assertEquals(PROMPTS, stale.skipped());

            // the reference and a generator load the anchor: the policy equals its reference again
            apo.reference.loadWeights(anchor);
            apo.generator.applyWeights(a2.weights());
            RolloutBatch fresh = apo.scored(apo.sample(2));
            assertEquals(2, fresh.policyVersion());
            StepResult.Preference p = apo.learner.train(4, fresh).preference().orElseThrow();
            assertEquals(0, p.margin(), 1e-4, "implicit rewards start at 0 against the new anchor");
            assertEquals(0, p.ranking().chosenDrift(), 1e-3);
        }
    }

    @Test
    void apoWithoutMomentumIsIterativeDpo() {
        try (Fixture apo = new Fixture("apo", "troupe.learner.apo { alpha = 0, iteration-steps = 2 }");
                Fixture dpo = new Fixture("online-dpo", "")) {
            RolloutBatch batch = apo.scored(apo.sampled);
            for (int s = 1; s <= 2; s++) {
                StepResult a = apo.learner.train(s, batch);
                StepResult d = dpo.learner.train(s, batch);
                assertEquals(d.weights().checksum(), a.weights().checksum(), "step " + s);
            }
            assertTrue(apo.learner.takeReferenceUpdate().isPresent(), "the iteration still re-anchors the reference");
        }
    }

    @Test
    void rewardAugmentedTrainsTwoConditionedPairsPerGroupAgainstItsOwnReference() {
        try (Fixture f = new Fixture("reward-augmented",
                "troupe.learner.reward-augmented { template = \"{prompt}|{target}\", decimals = 0 }", 3e-3)) {
            RolloutBatch batch = f.scored(f.sampled);
            StepResult.Preference first = f.learner.train(1, batch).preference().orElseThrow();
            assertEquals(2 * PROMPTS, first.pairs());
            assertEquals(2 * PROMPTS, first.family().augmentedPairs());
            // the learner's own reference is the initial policy: on the conditioned prompts too h = 0
            assertEquals(0, first.margin(), 1e-5);
            assertEquals(Math.log(2), first.value(), 1e-5);
            // each pair appears once each way, so the policy's own ranking is right for exactly half
            assertEquals(0.5, first.ranking().accuracy(), 0.0);
            StepResult.Preference last = first;
            for (int s = 2; s <= 10; s++) {
                last = f.learner.train(s, batch).preference().orElseThrow();
            }
            // Both directions of every pair ranked right by the implicit reward: only possible when the
            // policy reads the rendered target (the responses are the same, the targets differ).
            assertEquals(1.0, last.rewardAccuracy(), 0.0, last.toString());
            assertTrue(last.value() < 0.45, "loss falls from ln 2: " + last.value());
        }
    }

    @Test
    void entanglementCosineIsMeasuredOnItsStepsWithoutTouchingTheUpdate() {
        try (Fixture measured = new Fixture("online-dpo", "troupe.learner.preference.entanglement-every = 2");
                Fixture plain = new Fixture("online-dpo", "")) {
            RolloutBatch batch = measured.scored(measured.sampled);
            for (int s = 1; s <= 2; s++) {
                StepResult a = measured.learner.train(s, batch);
                StepResult b = plain.learner.train(s, batch);
                double cos = a.preference().orElseThrow().ranking().entanglementCosine();
                if (s == 1) {
                    assertTrue(Double.isNaN(cos), "not a measured step");
                } else {
                    assertTrue(cos >= -1 && cos <= 1 && cos != 0, "cos = " + cos);
                }
                assertTrue(Double.isNaN(b.preference().orElseThrow().ranking().entanglementCosine()));
                assertEquals(b.weights().checksum(), a.weights().checksum(), "gradients zeroed around the metric");
            }
        }
    }

    @Test
    void generationIsConditionedOnTheTargetInTheTokensOnly() {
        Config config = ConfigFactory.parseString("troupe.learner.reward-augmented { template = \"{prompt}|{target}\","
                + " generation-target = 1 }").withFallback(ConfigFactory.defaultReference()).resolve();
        LearnerAlgorithm.RewardAugmented ra = (LearnerAlgorithm.RewardAugmented) LearnerAlgorithm.REGISTRY
                .create("reward-augmented", troupe.core.config.ConfigReader.at(config, "troupe.learner"));
        ByteTokenizer tok = new ByteTokenizer();
        TaskPromptSource plain = new TaskPromptSource(TaskRegistry.create("reverse", ConfigFactory.empty()), tok, 3, 8);
        TaskPromptSource again = new TaskPromptSource(TaskRegistry.create("reverse", ConfigFactory.empty()), tok, 3, 8);
        Prompt p = plain.next(1).get(0);
        Prompt c = ra.conditionedPrompts(again, tok).next(1).get(0);
        assertEquals(p.text(), c.text());
        assertArrayEquals(PromptFormat.prompt(tok, p.text() + "|1.0"), c.tokens());
    }
}
