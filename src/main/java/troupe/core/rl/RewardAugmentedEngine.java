package troupe.core.rl;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import troupe.core.algo.preference.OnlinePairSelector.Pair;
import troupe.core.algo.preference.RewardConditioning;
import troupe.core.engine.StepResult;
import troupe.core.model.CausalLm;
import troupe.core.model.CausalLms;
import troupe.core.model.hf.PromptFormat;
import troupe.core.model.hf.TextTokenizer;
import troupe.core.model.scoring.Scorer;
import troupe.core.model.snapshot.SnapshotEncoding;
import troupe.core.model.snapshot.WeightSnapshot;
import troupe.core.model.train.TrainablePolicy;
import troupe.core.reward.Objective;
import troupe.core.rollout.RolloutBatch;

/**
 * Reward-augmented pairs on the online-DPO loop ({@link RewardConditioning}, arXiv 2410.08067):
 * each group's pair (y_w, y_l) with scores r_w > r_l trains as two pairs,
 * (x ⊕ target r_w: y_w ≻ y_l) and (x ⊕ target r_l: y_l ≻ y_w), under the configured loss.
 *
 * <p>The conditioned prompts are not what the reference role scored (it saw x ⊕ the generation
 * target), so this engine keeps its own frozen copy of the initial policy and scores the four
 * conditioned rows of each pair with it: one more model in the learner's memory and one
 * no-gradient forward over 2× the pairs' rows per step. The score is the raw score of
 * {@code objective}, or the scalarised reward when it is empty.
 */
final class RewardAugmentedEngine extends OnlineDpoEngine {
    private final LearnerAlgorithm.RewardAugmented algorithm;
    private final TextTokenizer tokenizer;
    private final CausalLm reference;
    private int augmented;

    RewardAugmentedEngine(TrainablePolicy policy, LearnerSettings settings, LearnerAlgorithm.RewardAugmented algorithm,
            List<Objective> objectives, NDManager manager, TextTokenizer tokenizer) {
        super(LearnerAlgorithm.REWARD_AUGMENTED, policy, settings, algorithm.pairs(), objectives, manager);
        this.algorithm = algorithm;
        this.tokenizer = tokenizer;
        this.reference = CausalLms.random(policy.model().config(), manager, 0);
        WeightSnapshot.export(policy.model().parameters(), 0, SnapshotEncoding.F32).applyTo(reference.parameters());
        reference.parameters().setRequiresGradient(false);
    }

    @Override
    StepInput.PairwisePreference pairInput(RolloutBatch batch, LearnerBatch b, double temperature,
            PreferencePairs.Selection selection, double[] scalar) {
        double[] score = scores(batch, scalar);
        List<int[]> prompts = new ArrayList<>();
        List<Integer> rows = new ArrayList<>();
        for (Pair p : selection.pairs()) {
            String text = batch.samples().get(p.chosen()).promptText();
            for (RewardConditioning.ConditionedPair c : algorithm.conditioning().augment(text, p.chosen(),
                    score[p.chosen()], p.rejected(), score[p.rejected()])) {
                int[] prompt = PromptFormat.prompt(tokenizer, c.prompt());
                prompts.add(prompt);
                rows.add(c.chosen());
                prompts.add(prompt);
                rows.add(c.rejected());
            }
        }
        int n = rows.size();
        int[][] ps = prompts.toArray(new int[0][]);
        int[][] responses = new int[n][];
        double[][] mask = new double[n][];
        for (int i = 0; i < n; i++) {
            responses[i] = b.responses()[rows.get(i)];
            mask[i] = b.mask()[rows.get(i)];
        }
        float[][] ref = n == 0 ? new float[0][]
                : Scorer.logprobs(reference, ps, responses, temperature, settings.microBatch(), manager);
        double[][] refPadded = new double[n][b.maxLength()];
        int[] groups = new int[n];
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < ref[i].length; t++) {
                refPadded[i][t] = ref[i][t];
            }
            groups[i] = i / 2;
            if (i % 2 == 0) {
                pairs.add(new Pair(i, i + 1));
            }
        }
        augmented = pairs.size();
        LearnerBatch conditioned = new LearnerBatch(ps, responses, mask, new double[n][b.maxLength()], refPadded,
                groups, b.maxLength());
        return new StepInput.PairwisePreference(conditioned, temperature, pairs, null);
    }

    /** Each sample's score: the raw score of the configured objective, or the scalarised reward. */
    private double[] scores(RolloutBatch batch, double[] scalar) {
        if (algorithm.objective().isEmpty()) {
            return scalar;
        }
        int k = batch.objectives().stream().map(Objective::name).toList().indexOf(algorithm.objective());
        if (k < 0) {
            throw new IllegalArgumentException("troupe.learner.reward-augmented.objective = " + algorithm.objective()
                    + " is not an objective of this batch: " + batch.objectives());
        }
        double[] out = new double[batch.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = batch.samples().get(i).rewards()[k];
        }
        return out;
    }

    @Override
    StepResult.Preference decorate(StepResult.Preference p) {
        return p.withFamily(new StepResult.Family(LearnerAlgorithm.REWARD_AUGMENTED, Double.NaN, Double.NaN, -1, false,
                augmented));
    }

    @Override
    public void close() {
        reference.close();
        super.close();
    }
}
