package troupe.core.rl;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import troupe.core.algo.BatchTotals;
import troupe.core.algo.advantage.AdvantageInput;
import troupe.core.algo.kl.KlController;
import troupe.core.algo.kl.KlControllers;
import troupe.core.algo.kl.KlControllerState;
import troupe.core.algo.kl.KlPlacement;
import troupe.core.algo.policy.ImportanceCorrection;
import troupe.core.algo.policy.PolicyLoss;
import troupe.core.algo.policy.PolicyLossInput;
import troupe.core.algo.policy.PolicyLosses;
import troupe.core.engine.StepResult;
import troupe.core.engine.WeightUpdate;
import troupe.core.model.GradMode;
import troupe.core.model.scoring.PolicyLogProbs;
import troupe.core.model.scoring.TokenScores;
import troupe.core.model.train.TrainablePolicy;
import troupe.core.reward.Objective;
import troupe.core.rollout.RolloutBatch;
import troupe.core.weighting.WeightingResult;

/**
 * The learner's compute for policy-gradient RL (GRPO by default). A step reads top to bottom in
 * {@link #train}: (1) old log-probs, scored if needed → (2) advantages (weighting → scalar reward →
 * shaping / KL in the reward → estimator) → (3) micro-batch losses (clipped surrogate + β·KL +
 * entropy + value loss, {@link MicroBatchLoss}) → (4) backward → (5) AdamW, one optimizer step
 * per epoch with gradients accumulated over micro-batches under the batch's global token totals
 * (ALGORITHMS.md §0) → (6) KL controller and metrics.
 *
 * <p>{@code old} log-probs are the trainer's own, computed at the start of the step (TRL's
 * "old_trainer"); when the sampler's distribution differed from the learner's (temperature,
 * top-k, top-p, or an older policy version with max-policy-lag &gt; 0) an importance weight
 * old/behaviour corrects the mismatch (§9). With one epoch, and nothing that reads old log-probs
 * of the whole batch before the update (critic, KL in the reward, gradient-Gram weighting), old
 * equals the current parameters: the training forward's detached log-probs serve, that forward
 * also yields the health indicators, and each micro-batch takes its importance weights from them
 * (they are per row), so a step costs one forward instead of two (TRL:
 * {@code per_token_logps.detach()} when num_iterations = 1).
 *
 * <p>Algorithms by config ({@link LearnerSettings}): the advantage estimator (gae adds a value
 * head to the policy, trained by the clipped value loss and checkpointed with it), where KL
 * enters ({@code kl.placement}), DAPO overlong shaping; DAPO dynamic sampling is assembled by the
 * learner actor with {@link DynamicSampler} before a batch reaches {@link #train}.
 */
public final class RlLearnerEngine extends AbstractLearnerEngine {
    private static final long VALUE_HEAD_SEED = 0x5EED;

    private final PolicyLoss policyLoss;
    private final boolean klInReward;
    private KlController klController;
    private boolean singlePassAllowed = true;

    public RlLearnerEngine(TrainablePolicy policy, LearnerSettings settings, List<Objective> objectives,
            NDManager manager) {
        super(LearnerAlgorithm.POLICY_GRADIENT, withCritic(policy, settings, manager), settings, objectives, manager);
        this.klInReward = settings.klPlacement() == KlPlacement.REWARD;
        this.policyLoss = PolicyLosses.create(settings.policyLoss());
        this.klController = KlControllers.create(settings.klController());
    }

    /** The policy with a value head when the estimator needs a critic (a fresh one, seeded for reruns). */
    private static TrainablePolicy withCritic(TrainablePolicy p, LearnerSettings settings, NDManager manager) {
        return settings.needsCritic() ? p.withValueHead(settings.optimizer(), manager, VALUE_HEAD_SEED) : p;
    }

    @Override
    TrainablePolicy adopt(TrainablePolicy restored) {
        return withCritic(restored, settings, manager); // a critic-free checkpoint resumed with gae starts a fresh head
    }

    @Override
    public StepResult train(long step, RolloutBatch batch) {
        GradMode.offOnThisThread();
        LearnerBatch b = LearnerBatch.of(batch);
        double temperature = batch.sampling().learnerTemperature();
        // 1. old log-probs (and the critic's old values): scored before the update when anything reads them then
        StepInput.OldLogProbs old = oldLogProbs(b, temperature);
        Optional<double[][]> oldValues = settings.needsCritic()
                ? Optional.of(b.padded(old.scores(), TokenScores::values)) : Optional.empty();
        // 2. advantages: weighting → scalar reward → shaping / KL in the reward → estimator
        long advStart = System.nanoTime();
        WeightingResult weighted = rewardStage.weigh(batch, () -> gram(batch, b, old, oldValues, temperature));
        double beta = klController.beta();
        RewardStage.Result adv = rewardStage.advantages(weighted, b, old, oldValues, beta,
                batch.sampling().maxNewTokens());
        phaseMillis.put("advantages", (System.nanoTime() - advStart) / 1e6);
        StepInput.PolicyGradient input = new StepInput.PolicyGradient(b, temperature, old, adv.advantages(),
                importance(batch, b, old), klInReward ? 0 : beta, BatchTotals.of(b.mask()),
                oldValues.map(v -> new StepInput.ValueTargets(v, adv.returns())));
        // 3–5. micro-batch losses → backward → optimiser step, per epoch
        MicroBatchLoss micro = new MicroBatchLoss(policy, policyLoss, settings);
        Optimised<StepMetrics.LossSums> done = optimise(input, StepMetrics.LossSums::new,
                (from, to, m, sums) -> micro.loss(input, from, to, m, sums));
        // 6. KL controller, weights for the generators, metrics
        version++;
        klController = klController.update(klInReward ? adv.currentKl() : done.sums().klMean(), b.size());
        return metrics(step, batch, input, weighted, adv, beta, done);
    }

    /**
     * Phase 1. The old log-probs come from the training forward (a single pass) unless something
     * reads them before the update — a second epoch, the critic's old values, KL in the reward,
     * the weighting's gradient Gram; then one scoring forward gives them, the health indicators
     * and (gae) the critic's old values.
     */
    private StepInput.OldLogProbs oldLogProbs(LearnerBatch b, double temperature) {
        boolean singlePass = singlePassAllowed && settings.epochs() == 1 && !settings.needsCritic() && !klInReward
                && !rewardStage.strategy().needsGradientGram();
        if (singlePass) {
            return new StepInput.OldLogProbs.FromForward(new ArrayList<>());
        }
        List<TokenScores> scores = scoreOld(b, temperature, settings.needsCritic());
        return new StepInput.OldLogProbs.Scored(scores, b.padded(scores, TokenScores::logprobs));
    }

    /**
     * The importance correction old/behaviour (§9): needed when the behaviour distribution differs
     * from the trainer's own — the sampler truncated or tempered it, or an older version sampled
     * the batch (max-policy-lag &gt; 0). In a single pass each micro-batch takes its weights from
     * its own forward (they are per row).
     */
    private StepInput.Importance importance(RolloutBatch batch, LearnerBatch b, StepInput.OldLogProbs old) {
        boolean offPolicy = batch.sampling().differsFromLearner() || batch.policyVersion() != version;
        if (!offPolicy) {
            return new StepInput.Importance.None();
        }
        if (old instanceof StepInput.OldLogProbs.Scored scored) {
            return new StepInput.Importance.Weights(
                    ImportanceCorrection.weights(scored.logp(), b.behaviour(), b.mask(), settings.importance())
                            .weights());
        }
        return new StepInput.Importance.FromForward();
    }

    /** Phase 6: the step's metrics (old log-probs of a single pass as its forward scored them). */
    private StepResult metrics(long step, RolloutBatch batch, StepInput.PolicyGradient input,
            WeightingResult weighted, RewardStage.Result adv, double beta, Optimised<StepMetrics.LossSums> done) {
        LearnerBatch b = input.batch();
        double[][] oldLogp = input.old() instanceof StepInput.OldLogProbs.Scored scored ? scored.logp()
                : b.padded(input.old().scores(), TokenScores::logprobs);
        WeightUpdate weights = export();
        StepResult.Critic critic = input.critic()
                .map(c -> StepMetrics.critic(done.sums(), c.oldValues(), c.returns(), b.mask()))
                .orElse(StepResult.Critic.NONE);
        StepResult.Shaping shaping = new StepResult.Shaping(klInReward, adv.klPenaltyMean(), adv.overlongMean());
        return metrics.result(step, version, weights, batch, rewardStage.strategy(), weighted, input.old().scores(),
                oldLogp, b, done.sums(), done.stats(), beta,
                klInReward ? settings.kl().rewardEstimator() : settings.kl().lossEstimator(), settings.healthTopK(),
                critic, shaping);
    }

    /**
     * False: always score the old log-probs in a separate forward before the update, as with more
     * than one epoch (tests compare the single-pass step against it).
     */
    void allowSinglePass(boolean allowed) {
        singlePassAllowed = allowed;
    }

    /** Per-objective gradients of the policy loss (advantages from that objective alone). */
    private double[][] gram(RolloutBatch batch, LearnerBatch b, StepInput.OldLogProbs old,
            Optional<double[][]> oldValues, double temperature) {
        double[][] oldLogp = old.beforeUpdate();
        double[][] columns = GradientGram.objectiveColumns(batch);
        BatchTotals totals = BatchTotals.of(b.mask());
        Shape shape = new Shape(b.size(), b.maxLength());
        return GradientGram.compute(policy, Pattern.compile(settings.gramParameters()), columns.length, (j, m) -> {
            AdvantageInput objective = AdvantageInput.outcome(columns[j], b.groupIds(), b.mask());
            double[][] adv = rewardStage.estimator()
                    .compute(oldValues.map(objective::withValues).orElse(objective)).advantages();
            PolicyLogProbs lp = LearnerBatch.forward(policy.model(), b.prompts(), b.responses(), temperature, m);
            return policyLoss.compute(PolicyLossInput.of(lp.logprobs(),
                    m.create(LearnerBatch.slice(oldLogp, 0, b.size(), b.maxLength()), shape),
                    m.create(LearnerBatch.slice(adv, 0, b.size(), b.maxLength()), shape),
                    m.create(LearnerBatch.slice(b.mask(), 0, b.size(), b.maxLength()), shape))
                    .withTotals(totals)).loss();
        });
    }

    @Override
    void saveState(JsonObject state) {
        state.add("klController", GSON.toJsonTree(klController.state()));
    }

    @Override
    void restoreState(JsonObject state) {
        klController = KlControllers.restore(settings.klController(),
                GSON.fromJson(state.get("klController"), KlControllerState.class));
    }
}
