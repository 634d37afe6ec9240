package troupe.core.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import troupe.core.config.SettingsException;
import troupe.core.engine.RolloutRequest;
import troupe.core.engine.StepResult;
import troupe.core.model.CausalLms;
import troupe.core.model.hf.ByteTokenizer;
import troupe.core.model.train.TrainablePolicy;
import troupe.core.reward.Direction;
import troupe.core.reward.Objective;
import troupe.core.rollout.RolloutBatch;
import troupe.core.task.TaskRegistry;
import troupe.core.TestSettings;

class OnlineDpoEngineTest {
    private static final Objective GOOD = new Objective("good", Direction.MAXIMIZE);
    private static final Objective SHORT = new Objective("short", Direction.MINIMIZE);
    private static final int PROMPTS = 4;
    private static final int GROUP = 4;

    @TempDir
    Path dir;

    /** A tiny policy and its reference (the same initial weights), and one fixed sampled batch. */
    private static final class Fixture implements AutoCloseable {
        final NDManager manager = NDManager.newBaseManager();
        final OnlineDpoEngine learner;
        final RolloutBatch sampled;
        final PolicyReferenceEngine reference;

        Fixture(String weighting, double learningRate) {
            com.typesafe.config.Config config = ConfigFactory.parseString("troupe.learner.micro-batch = 4\n"
                    + "troupe.learner.algorithm = online-dpo\ntroupe.learner.preference.min-reward-gap = 0")
                    .withFallback(RlLoopFixture.config(weighting, learningRate)).resolve();
            LearnerSettings settings = LearnerSettings.fromConfig(config, 100);
            learner = (OnlineDpoEngine) LearnerAlgorithm.fromConfig(config).engine(new TrainablePolicy(
                    CausalLms.random(RlLoopFixture.CONFIG, manager, 5), null, settings.optimizer(), manager),
                    settings, List.of(GOOD), manager);
            reference = new PolicyReferenceEngine(CausalLms.random(RlLoopFixture.CONFIG, manager, 5), manager, 16);
            TaskPromptSource prompts = new TaskPromptSource(TaskRegistry.create("reverse", ConfigFactory.empty()),
                    new ByteTokenizer(), 3, 64);
            try (PolicyRolloutEngine generator = new PolicyRolloutEngine(
                    CausalLms.random(RlLoopFixture.CONFIG, manager, 5), new ByteTokenizer(), manager, 0, "")) {
                sampled = generator.generate(new RolloutRequest("run", 1, prompts.next(PROMPTS), GROUP,
                        RlLoopFixture.SAMPLING));
            }
        }

        /** The fixed batch with one column per objective: {@code good[i]} and {@code short[i]}. */
        RolloutBatch scored(float[] good, float[] shortness) {
            RolloutBatch b = shortness == null
                    ? sampled.withRewards(List.of(GOOD), new float[][] {good}, List.of())
                    : sampled.withRewards(List.of(GOOD, SHORT), new float[][] {good, shortness}, List.of());
            return b.withReferenceLogprobs(reference.referenceLogprobs(b));
        }

        /** 1 for the first sample of each group, 0 for the others: one clearly better answer per prompt. */
        float[] firstOfGroupWins() {
            float[] out = new float[sampled.size()];
            Set<Long> seen = new HashSet<>();
            for (int i = 0; i < out.length; i++) {
                out[i] = seen.add(sampled.samples().get(i).groupId()) ? 1 : 0;
            }
            return out;
        }

        @Override
        public void close() {
            learner.close();
            reference.close();
            manager.close();
        }
    }

    @Test
    void implicitRewardMarginOfTheChosenRisesUntilEveryPairIsRankedRight() {
        try (Fixture f = new Fixture("hypervolume", 1e-2)) {
            RolloutBatch batch = f.scored(f.firstOfGroupWins(), null);
            StepResult.Preference first = f.learner.train(1, batch).preference().orElseThrow();
            // Policy = reference before the first update: every implicit reward is 0.
            assertEquals(0, first.margin(), 1e-5);
            assertEquals(PROMPTS, first.pairs());
            assertEquals(0, first.skipped());
            assertEquals("dpo", first.loss());
            assertEquals(Math.log(2), first.value(), 1e-5, "−log σ(0)");
            StepResult.Preference last = first;
            double previousMargin = first.margin();
            for (int s = 2; s <= 8; s++) {
                StepResult r = f.learner.train(s, batch);
                last = r.preference().orElseThrow();
                assertEquals(s, r.policyVersion());
                assertTrue(last.margin() > previousMargin, "margin rises at step " + s + ": " + last.margin());
                previousMargin = last.margin();
            }
            assertEquals(1.0, last.rewardAccuracy(), 0.0);
            assertTrue(last.chosenReward() > last.rejectedReward());
            assertTrue(last.value() < first.value(), "loss falls: " + first.value() + " → " + last.value());
        }
    }

    @Test
    void tiedGroupsGiveNoPairsAndNoNaN() {
        try (Fixture f = new Fixture("hypervolume", 1e-2)) {
            Map<String, float[]> before = WeightUpdates.toSnapshot(f.learner.currentWeights()).decode();
            float[] tied = new float[f.sampled.size()];
            java.util.Arrays.fill(tied, 0.5f);
            StepResult r = f.learner.train(1, f.scored(tied, null));
            StepResult.Preference p = r.preference().orElseThrow();
            assertEquals(0, p.pairs());
            assertEquals(PROMPTS, p.skipped());
            assertEquals(0.0, p.value(), 0.0);
            assertEquals(0.0, p.margin(), 0.0);
            assertEquals(0.0, r.loss().total(), 0.0);
            assertTrue(Double.isFinite(r.kl().tokenMean()) && Double.isFinite(r.entropy().mean()));
            assertEquals(1, r.policyVersion());
            // No pair, no optimizer step: version 1 carries the parameters of version 0.
            Map<String, float[]> after = WeightUpdates.toSnapshot(r.weights()).decode();
            assertEquals(before.keySet(), after.keySet());
            before.forEach((name, values) -> assertArrayEquals(values, after.get(name), name));
        }
    }

    @Test
    void checkpointRestoreContinuesExactly() throws Exception {
        StepResult straight;
        try (Fixture f = new Fixture("hypervolume", 1e-2)) {
            RolloutBatch batch = f.scored(f.firstOfGroupWins(), null);
            f.learner.train(1, batch);
            f.learner.train(2, batch);
            f.learner.saveCheckpoint(dir);
            straight = f.learner.train(3, batch);
        }
        try (Fixture g = new Fixture("hypervolume", 1e-2)) {
            g.learner.restore(dir);
            assertEquals(2, g.learner.policyVersion());
            StepResult resumed = g.learner.train(3, g.scored(g.firstOfGroupWins(), null));
            assertEquals(straight.preference().orElseThrow().value(), resumed.preference().orElseThrow().value(), 0.0);
            assertEquals(straight.preference(), resumed.preference());
            assertEquals(straight.loss().gradNorm(), resumed.loss().gradNorm(), 0.0);
            assertEquals(straight.weights().checksum(), resumed.weights().checksum());
            assertEquals(straight.rewardMultiplier(), resumed.rewardMultiplier(), 0.0);
            assertEquals(straight.objectives(), resumed.objectives());
        }
    }

    @Test
    void objectivesJoinAndLeaveAndSetWeightingRanksPairsByTheNewWeights() {
        try (Fixture f = new Fixture("hypervolume", 1e-2)) {
            f.learner.addObjective(SHORT, java.util.OptionalDouble.empty());
            Map<String, Double> w = f.learner.setWeighting("fixed-linear", Map.of("good", 1.0, "short", 3.0));
            assertEquals(0.75, w.get("short"), 1e-12);
            // "good" prefers the first of each group; "short" (minimised) prefers the second — and outweighs it.
            float[] good = f.firstOfGroupWins();
            float[] shortness = new float[good.length];
            for (int i = 0; i < good.length; i++) {
                shortness[i] = i % GROUP == 1 ? 0 : 1;
            }
            RolloutBatch batch = f.scored(good, shortness);
            StepResult r = f.learner.train(1, batch);
            assertEquals("fixed-linear", r.weightingStrategy());
            assertEquals(PROMPTS, r.preference().orElseThrow().pairs());
            assertEquals(List.of("good", "short"), r.objectives().stream().map(StepResult.ObjectiveStat::name).toList());
            assertThrows(IllegalArgumentException.class, () -> f.learner.setWeighting("nope", Map.of()));
            f.learner.removeObjective("short");
            assertEquals(List.of(GOOD), f.learner.objectives());
            StepResult after = f.learner.train(2, f.scored(good, null));
            assertEquals(1.0, after.objectives().get(0).weight(), 1e-12);
        }
    }

    @Test
    void mirrorDescentWeightingGetsPerObjectivePreferenceGradients() {
        try (Fixture f = new Fixture("mirror-descent", 1e-2)) {
            f.learner.addObjective(SHORT, java.util.OptionalDouble.empty());
            float[] tied = new float[f.sampled.size()];
            java.util.Arrays.fill(tied, 1f); // "short" ties everywhere: a zero gradient in the Gram matrix
            StepResult r = f.learner.train(1, f.scored(f.firstOfGroupWins(), tied));
            assertEquals("mirror-descent", r.weightingStrategy());
            assertTrue(Double.isFinite(r.preference().orElseThrow().value()));
            double sum = r.objectives().stream().mapToDouble(StepResult.ObjectiveStat::weight).sum();
            assertEquals(1.0, sum, 1e-9);
        }
    }

    @Test
    void algorithmKeyIsValidatedAndNamed() {
        assertEquals(LearnerAlgorithm.POLICY_GRADIENT,
                LearnerAlgorithm.fromConfig(ConfigFactory.defaultReference().resolve()).name());
        // dpo is an alias of online-dpo (issue 22); a name outside the registry is refused
        assertEquals(LearnerAlgorithm.ONLINE_DPO, LearnerAlgorithm.fromConfig(ConfigFactory.parseString(
                "troupe.learner.algorithm = dpo").withFallback(ConfigFactory.defaultReference()).resolve()).name());
        SettingsException bad = assertThrows(SettingsException.class, () -> LearnerAlgorithm.fromConfig(
                ConfigFactory.parseString("troupe.learner.algorithm = dpo-v2")
                        .withFallback(ConfigFactory.defaultReference()).resolve()));
        assertEquals("troupe.learner.algorithm", bad.key());
        SettingsException loss = assertThrows(SettingsException.class, () -> LearnerAlgorithm.fromConfig(
                ConfigFactory.parseString("troupe.learner.preference.loss = orpo")
                        .withFallback(ConfigFactory.defaultReference()).resolve()));
        assertTrue(loss.getMessage().contains("troupe.learner.preference") && loss.getMessage().contains("simpo"),
                loss.getMessage());
    }
}
