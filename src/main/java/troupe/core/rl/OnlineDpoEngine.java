package troupe.core.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.regex.Pattern;
import troupe.core.algo.Scalars;
import troupe.core.algo.kl.KlControllers;
import troupe.core.algo.preference.OnlinePairSelector.Pair;
import troupe.core.algo.preference.PreferenceBatch;
import troupe.core.algo.preference.PreferenceLoss;
import troupe.core.algo.preference.PreferenceLossResult;
import troupe.core.algo.preference.PreferenceLosses;
import troupe.core.algo.preference.PreferenceSettings;
import troupe.core.engine.StepResult;
import troupe.core.model.GradMode;
import troupe.core.model.scoring.TokenScores;
import troupe.core.model.train.TrainablePolicy;
import troupe.core.reward.Objective;
import troupe.core.rollout.RolloutBatch;
import troupe.core.weighting.WeightingResult;

/**
 * The learner's compute for online DPO (Guo et al., arXiv 2402.04792; ALGORITHMS.md §5): the
 * weighting strategy turns each sample's reward vector into one scalar, each prompt's group of
 * on-policy samples gives one pair (chosen = first best, rejected = first worst, none when the
 * scalars span no more than the minimum gap),
 * and the preference loss ({@code troupe.learner.preference.loss}, DPO by default) on the pairs'
 * summed response log-probs against the reference log-probs the batch carries drives AdamW.
 *
 * <p>Micro-batches hold {@code micro-batch / 2} pairs (two sequences each); each micro-batch's
 * loss is scaled by its share of the step's pairs, so the accumulated gradient is that of the
 * mean over all pairs. One optimizer step per epoch; a batch without pairs changes no weight but
 * still advances the version, as every step does.
 *
 * <p>The preference family runs this loop and overrides its hooks: {@link #pairInput} (reward-augmented
 * pairs), {@link #pairLoss} (LCPO), {@link #afterOptimise} (APO's boundary) and {@link #decorate}
 * (their own metrics). Every member reports the ranking metrics of {@code StepResult.PairRanking}.
 */
public non-sealed class OnlineDpoEngine extends AbstractLearnerEngine {
    final PreferenceSettings preference;
    private final double minRewardGap;
    private final int entanglementEvery;
    final PreferenceLoss loss;

    public OnlineDpoEngine(TrainablePolicy policy, LearnerSettings settings, LearnerAlgorithm.OnlineDpo algorithm,
            List<Objective> objectives, NDManager manager) {
        this(LearnerAlgorithm.ONLINE_DPO, policy, settings, algorithm, objectives, manager);
    }

    /** The online-DPO loop under another algorithm's name (LCPO, APO, reward-augmented override its hooks). */
    OnlineDpoEngine(String name, TrainablePolicy policy, LearnerSettings settings, LearnerAlgorithm.OnlineDpo algorithm,
            List<Objective> objectives, NDManager manager) {
        super(name, policy, settings, objectives, manager);
        this.preference = algorithm.preference();
        this.minRewardGap = algorithm.minRewardGap();
        this.entanglementEvery = algorithm.entanglementEvery();
        this.loss = PreferenceLosses.create(preference);
    }

    @Override
    public StepResult train(long step, RolloutBatch batch) {
        GradMode.offOnThisThread();
        LearnerBatch b = LearnerBatch.of(batch);
        double temperature = batch.sampling().learnerTemperature();
        // 1. the policy before the update, for the health metrics every learner reports (entropy, KL, top-k)
        List<TokenScores> old = scoreOld(b, temperature, false);
        // 2. in place of advantages: weighting → scalar reward → one pair per group
        WeightingResult weighted = rewardStage.weigh(batch, () -> gram(batch, b, temperature));
        PreferencePairs.Selection selection = PreferencePairs.select(weighted.rewards(), b, minRewardGap);
        StepInput.PairwisePreference input = pairInput(batch, b, temperature, selection, weighted.rewards());
        double entanglement = entanglementEvery > 0 && step % entanglementEvery == 0 && input.items() > 0
                ? entanglement(input) : Double.NaN;
        // 3–5. micro-batch losses → backward → optimiser step, per epoch (none without pairs)
        Optimised<PreferenceStepSums> done = optimise(input, PreferenceStepSums::new,
                (from, to, m, sums) -> microBatchLoss(input, from, to, m, sums));
        // 6. the algorithm's own step end (APO's iteration boundary), weights for the generators, metrics
        version++;
        afterOptimise(batch);
        StepMetrics.LossSums lossSums = new StepMetrics.LossSums();
        lossSums.total = done.sums().loss();
        lossSums.policy = done.sums().loss();
        StepResult r = metrics.result(step, version, export(), batch, rewardStage.strategy(), weighted, old,
                b.padded(old, TokenScores::logprobs), b, lossSums, done.stats(), preference.beta(), "k1",
                settings.healthTopK(), StepResult.Critic.NONE, StepResult.Shaping.NONE);
        StepResult.Preference p = done.sums().toMetrics(preference.loss(), input.items(), selection.skipped(),
                preference.beta());
        return r.withPreference(decorate(p.withRanking(p.ranking().withEntanglement(entanglement))));
    }

    /**
     * Gradient entanglement (Yuan et al., arXiv 2410.13828): the cosine between the gradients of
     * the mean chosen and the mean rejected log-prob over the step's pairs, before the update, on
     * the {@code gram-parameters} only (the full gradient would need a host copy of every
     * parameter's gradient twice). Near 1, pushing y_l down drags y_w down with it.
     */
    private double entanglement(StepInput.PairwisePreference input) {
        double[][] g = GradientGram.compute(policy, Pattern.compile(settings.gramParameters()), 2, (side, m) -> {
            PreferenceBatch pb = PreferencePairs.forward(policy.model(), input.batch(), input.pairs(), 0, input.items(),
                    input.temperature(), m);
            return (side == 0 ? pb.policyChosen() : pb.policyRejected()).mean();
        });
        double norm = Math.sqrt(g[0][0] * g[1][1]);
        return norm > 0 ? g[0][1] / norm : Double.NaN;
    }

    /**
     * What the step trains on: one pair per group by default, with the scalar rewards as the pairs'
     * gold scores for the idealised ranking accuracy.
     */
    StepInput.PairwisePreference pairInput(RolloutBatch batch, LearnerBatch b, double temperature,
            PreferencePairs.Selection selection, double[] scalar) {
        return new StepInput.PairwisePreference(b, temperature, selection.pairs(), scalar);
    }

    /** One micro-batch's pair losses (mean over its pairs); LCPO weighs them. */
    PreferenceLossResult pairLoss(PreferenceBatch pairs) {
        return loss.compute(pairs);
    }

    /** After the optimiser step, before the weights are exported (the version already advanced). */
    void afterOptimise(RolloutBatch batch) {
        // online DPO: nothing more
    }

    /** The step's preference metrics with the algorithm's own fields. */
    StepResult.Preference decorate(StepResult.Preference p) {
        return p.withFamily(new StepResult.Family(LearnerAlgorithm.ONLINE_DPO, Double.NaN, Double.NaN, -1, false, 0));
    }

    /** Pairs [from, to): the preference loss scaled by their share of the step's pairs (the mean over all pairs). */
    private NDArray microBatchLoss(StepInput.PairwisePreference input, int from, int to, NDManager m,
            PreferenceStepSums sums) {
        PreferenceBatch pairs = PreferencePairs.forward(policy.model(), input.batch(), input.pairs(), from, to,
                input.temperature(), m);
        PreferenceLossResult r = pairLoss(pairs);
        double share = (double) (to - from) / input.items();
        NDArray scaled = r.loss().mul(Scalars.like(r.loss(), share));
        sums.add(scaled.getFloat(), to - from, r.metrics());
        sums.addRanking(pairs, input.gold(from, to));
        return scaled;
    }

    /**
     * Per-objective gradients of the preference loss for gradient-based weighting: objective k's
     * pairs are chosen by its own (direction-signed, raw) scores. An objective that ties in every
     * group contributes a zero gradient (a loss times 0 keeps the graph that backward needs).
     */
    private double[][] gram(RolloutBatch batch, LearnerBatch b, double temperature) {
        double[][] columns = GradientGram.objectiveColumns(batch);
        int longest = 0;
        for (int i = 0; i < b.size(); i++) {
            longest = b.responses()[i].length > b.responses()[longest].length ? i : longest;
        }
        List<Pair> placeholder = List.of(new Pair(longest, longest));
        return GradientGram.compute(policy, Pattern.compile(settings.gramParameters()), columns.length, (j, m) -> {
            List<Pair> pairs = PreferencePairs.select(columns[j], b, 0).pairs(); // raw scores: any difference
            if (pairs.isEmpty()) {
                NDArray zero = loss.compute(PreferencePairs.forward(policy.model(), b, placeholder, 0, 1,
                        temperature, m)).loss();
                return zero.mul(Scalars.like(zero, 0.0));
            }
            return loss.compute(PreferencePairs.forward(policy.model(), b, pairs, 0, pairs.size(), temperature, m))
                    .loss();
        });
    }

    /** The configured KL controller's initial state, so a policy-gradient learner can resume from here. */
    @Override
    void saveState(JsonObject state) {
        state.add("klController", GSON.toJsonTree(KlControllers.create(settings.klController()).state()));
    }

    @Override
    void restoreState(JsonObject state) {
        // online DPO keeps no state of its own beyond what every learner keeps
    }
}
