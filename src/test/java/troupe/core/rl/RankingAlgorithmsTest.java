package troupe.core.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import troupe.core.engine.LearnerEngine;
import troupe.core.engine.RolloutRequest;
import troupe.core.engine.StepResult;
import troupe.core.model.CausalLm;
import troupe.core.model.CausalLms;
import troupe.core.model.hf.ByteTokenizer;
import troupe.core.model.train.TrainablePolicy;
import troupe.core.reward.Direction;
import troupe.core.reward.Objective;
import troupe.core.rollout.RolloutBatch;
import troupe.core.task.TaskRegistry;

/**
 * RAFT, PRO, GSPO and CISPO built by name through the learner-algorithm registry, a few steps each
 * on one fixed batch of the demo task (reverse) from a tiny random policy, whose reward falls with
 * a sample's place in its group: each must raise the log-prob of the first (best) responses
 * against the last (worst) ones.
 */
class RankingAlgorithmsTest {
    private static final Objective GOOD = new Objective("good", Direction.MAXIMIZE);
    private static final int PROMPTS = 4;
    private static final int GROUP = 4;
    private static final int STEPS = 6;

    /** A policy built by {@code algorithm}, one fixed sampled batch, and a scorer of the policy's current log-probs. */
    private static final class Fixture implements AutoCloseable {
        final NDManager manager = NDManager.newBaseManager();
        final LearnerEngine learner;
        final RolloutBatch sampled;
        final CausalLm mirror;
        final PolicyReferenceEngine reference;
        final PolicyReferenceEngine current;
        final int[] place;

        Fixture(String algorithm, String overrides) {
            Config config = ConfigFactory.parseString("troupe.learner.micro-batch = 8\ntroupe.learner.algorithm = "
                    + algorithm + "\n" + overrides).withFallback(RlLoopFixture.config("fixed-linear", 1e-2)).resolve();
            LearnerSettings settings = LearnerSettings.fromConfig(config, 100);
            learner = LearnerAlgorithm.fromConfig(config).engine(new TrainablePolicy(
                    CausalLms.random(RlLoopFixture.CONFIG, manager, 5), null, settings.optimizer(), manager),
                    settings, List.of(GOOD), manager);
            reference = new PolicyReferenceEngine(CausalLms.random(RlLoopFixture.CONFIG, manager, 5), manager, 16);
            mirror = CausalLms.random(RlLoopFixture.CONFIG, manager, 5);
            current = new PolicyReferenceEngine(mirror, manager, 16);
            TaskPromptSource prompts = new TaskPromptSource(TaskRegistry.create("reverse", ConfigFactory.empty()),
                    new ByteTokenizer(), 3, 64);
            try (PolicyRolloutEngine generator = new PolicyRolloutEngine(
                    CausalLms.random(RlLoopFixture.CONFIG, manager, 5), new ByteTokenizer(), manager, 0, "")) {
                sampled = generator.generate(new RolloutRequest("run", 1, prompts.next(PROMPTS), GROUP,
                        RlLoopFixture.SAMPLING));
            }
            place = new int[sampled.size()];
            Map<Long, Integer> seen = new HashMap<>();
            for (int i = 0; i < place.length; i++) {
                place[i] = seen.merge(sampled.samples().get(i).groupId(), 1, Integer::sum) - 1;
            }
        }

        /** The fixed batch scored {@code reward[place]} per sample, with its reference log-probs. */
        RolloutBatch scored(float... byPlace) {
            float[] r = new float[sampled.size()];
            for (int i = 0; i < r.length; i++) {
                r[i] = byPlace[place[i]];
            }
            RolloutBatch b = sampled.withRewards(List.of(GOOD), new float[][] {r}, List.of());
            return b.withReferenceLogprobs(reference.referenceLogprobs(b));
        }

        /** Mean per-token log-prob of the first of each group minus that of the last, under {@code weights}' policy. */
        double bestMinusWorst(RolloutBatch b, StepResult after) {
            if (after != null) {
                WeightUpdates.toSnapshot(after.weights()).applyTo(mirror.parameters());
            }
            float[][] lp = current.referenceLogprobs(b);
            double best = 0;
            double worst = 0;
            for (int i = 0; i < lp.length; i++) {
                double mean = 0;
                for (float x : lp[i]) {
                    mean += x / Math.max(1, lp[i].length);
                }
                best += place[i] == 0 ? mean / PROMPTS : 0;
                worst += place[i] == GROUP - 1 ? mean / PROMPTS : 0;
            }
            return best - worst;
        }

        @Override
        public void close() {
            LearnerEngines.close(learner);
            reference.close();
            current.close();
            manager.close();
        }
    }

    private static final float[] GRADED = {1f, 0.6f, 0.3f, 0f};

    /** Trains {@link #STEPS} steps on the graded fixed batch; returns every step's result. */
    private static StepResult[] trainGraded(Fixture f, RolloutBatch batch) {
        StepResult[] out = new StepResult[STEPS];
        for (int s = 1; s <= STEPS; s++) {
            out[s - 1] = f.learner.train(s, batch);
            assertEquals(s, out[s - 1].policyVersion());
            assertTrue(Double.isFinite(out[s - 1].loss().total()), "finite loss at step " + s);
        }
        return out;
    }

    @Test
    void raftKeepsTheConfiguredFractionAndItsNllFallsOnTheKeptSamples() {
        try (Fixture f = new Fixture("raft", "troupe.learner.raft { selection = top-fraction, fraction = 0.25 }")) {
            RolloutBatch batch = f.scored(GRADED);
            double before = f.bestMinusWorst(batch, null);
            StepResult[] r = trainGraded(f, batch);
            for (StepResult s : r) {
                StepResult.Ranking k = s.ranking().orElseThrow();
                assertEquals("raft", k.algorithm());
                assertEquals(PROMPTS, k.kept(), "a quarter of 16, the four best (the first of each group)");
                assertEquals(0.25, k.keptFraction(), 0);
                assertTrue(k.keptRewardMean() > s.scalarRewardMean(), k.keptRewardMean() + " vs " + s.scalarRewardMean());
                assertEquals(k.loss(), s.loss().total(), 1e-12);
                assertTrue(s.preference().isEmpty());
            }
            assertTrue(r[STEPS - 1].ranking().orElseThrow().loss() < 0.8 * r[0].ranking().orElseThrow().loss(),
                    "NLL " + r[0].ranking().orElseThrow().loss() + " -> " + r[STEPS - 1].ranking().orElseThrow().loss());
            assertTrue(f.bestMinusWorst(batch, r[STEPS - 1]) > before + 0.1, "the kept (best) responses gain");
        }
    }

    @Test
    void raftTopOneKeepsOnePerGroupAndAThresholdAboveEveryRewardTrainsNothing() {
        try (Fixture f = new Fixture("raft", "troupe.learner.raft.selection = top-1")) {
            StepResult.Ranking k = f.learner.train(1, f.scored(GRADED)).ranking().orElseThrow();
            assertEquals(PROMPTS, k.kept());
        }
        try (Fixture f = new Fixture("raft", "troupe.learner.raft { selection = threshold, threshold = 2 }")) {
            Map<String, float[]> before = WeightUpdates.toSnapshot(f.learner.currentWeights()).decode();
            StepResult r = f.learner.train(1, f.scored(GRADED));
            StepResult.Ranking k = r.ranking().orElseThrow();
            assertEquals(0, k.kept());
            assertEquals(0.0, k.keptFraction(), 0);
            assertEquals(0.0, r.loss().total(), 0);
            Map<String, float[]> after = WeightUpdates.toSnapshot(r.weights()).decode();
            before.forEach((name, values) -> assertArrayEquals(values, after.get(name), name));
        }
    }

    @Test
    void proRanksEachGroupItsLossFallsAndTheBestBecomesThePolicysTopChoice() {
        for (boolean dynamic : new boolean[] {false, true}) {
            try (Fixture f = new Fixture("pro", "troupe.learner.pro.dynamic-temperature = " + dynamic)) {
                RolloutBatch batch = f.scored(GRADED);
                double before = f.bestMinusWorst(batch, null);
                StepResult[] r = trainGraded(f, batch);
                for (StepResult s : r) {
                    StepResult.Ranking k = s.ranking().orElseThrow();
                    assertEquals("pro", k.algorithm());
                    assertEquals(PROMPTS, k.groups());
                    assertEquals(0, k.groupsSkipped());
                    assertEquals(k.listwise() + k.sft(), k.loss(), 1e-5);
                    assertTrue(k.sft() > 0, "the SFT term on the best");
                }
                StepResult.Ranking first = r[0].ranking().orElseThrow();
                StepResult.Ranking last = r[STEPS - 1].ranking().orElseThrow();
                assertTrue(last.loss() < first.loss(), "dynamic " + dynamic + ": " + first.loss() + " -> " + last.loss());
                assertEquals(1.0, last.topChoiceAccuracy(), 0, "dynamic " + dynamic);
                assertTrue(f.bestMinusWorst(batch, r[STEPS - 1]) > before + 0.1, "dynamic " + dynamic);
            }
        }
    }

    @Test
    void proSkipsGroupsOfIdenticalRewardsAndChangesNoWeight() {
        try (Fixture f = new Fixture("pro", "")) {
            Map<String, float[]> before = WeightUpdates.toSnapshot(f.learner.currentWeights()).decode();
            StepResult r = f.learner.train(1, f.scored(0.5f, 0.5f, 0.5f, 0.5f));
            StepResult.Ranking k = r.ranking().orElseThrow();
            assertEquals(0, k.groups());
            assertEquals(PROMPTS, k.groupsSkipped());
            assertEquals(0.0, r.loss().total(), 0);
            Map<String, float[]> after = WeightUpdates.toSnapshot(r.weights()).decode();
            before.forEach((name, values) -> assertArrayEquals(values, after.get(name), name));
        }
    }

    @Test
    void gradientWeightingGetsItsGramFromRaftAndProLossesIncludingWhenNothingIsKeptOrRanked() {
        String mirror = "troupe.learner.weighting.strategy = mirror-descent\n";
        for (String algorithm : List.of("raft", "pro")) {
            try (Fixture f = new Fixture(algorithm, mirror + "troupe.learner.raft { selection = threshold, threshold = 0.5 }")) {
                StepResult graded = f.learner.train(1, f.scored(GRADED));
                assertTrue(Double.isFinite(graded.loss().total()) && graded.loss().total() != 0, algorithm);
                // nothing reaches the threshold, every group ties: the Gram's zero-loss path
                StepResult none = f.learner.train(2, f.scored(0.25f, 0.25f, 0.25f, 0.25f));
                assertEquals(0.0, none.loss().total(), 0, algorithm);
                assertEquals(2, none.policyVersion());
            }
        }
    }

    @Test
    void raftAndProResumeExactlyFromACheckpoint(@TempDir Path dir) throws Exception {
        for (String name : List.of("raft", "pro")) {
            Path at = dir.resolve(name);
            StepResult straight;
            try (Fixture f = new Fixture(name, "")) {
                RolloutBatch batch = f.scored(GRADED);
                f.learner.train(1, batch);
                f.learner.train(2, batch);
                f.learner.saveCheckpoint(at);
                straight = f.learner.train(3, batch);
            }
            try (Fixture g = new Fixture(name, "")) {
                g.learner.restore(at);
                assertEquals(2, g.learner.policyVersion());
                StepResult resumed = g.learner.train(3, g.scored(GRADED));
                assertEquals(straight.ranking(), resumed.ranking(), name);
                assertEquals(straight.weights().checksum(), resumed.weights().checksum(), name);
            }
        }
    }

    @Test
    void gspoAndCispoByNameTrainThroughTheirLossAndFavourTheBestResponses() {
        for (String name : List.of("gspo", "cispo")) {
            try (Fixture f = new Fixture(name, "troupe.learner.epochs = 2")) {
                RlLearnerEngine engine = assertInstanceOf(RlLearnerEngine.class, f.learner);
                assertEquals(name, engine.settings.policyLoss().loss());
                RolloutBatch batch = f.scored(GRADED);
                double before = f.bestMinusWorst(batch, null);
                StepResult[] r = trainGraded(f, batch);
                for (StepResult s : r) {
                    assertTrue(s.ranking().isEmpty());
                }
                if (name.equals("gspo")) {
                    // the second epoch moves sequence ratios past 1 ± 4e-4: GSPO's tiny range clips
                    assertTrue(Arrays.stream(r).anyMatch(s -> s.clip().clipFraction() > 0), "gspo clips");
                }
                assertTrue(f.bestMinusWorst(batch, r[STEPS - 1]) > before + 0.1, name);
            }
        }
    }
}
