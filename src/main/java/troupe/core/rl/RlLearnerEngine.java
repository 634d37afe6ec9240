package troupe.core.rl;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import troupe.core.algo.BatchTotals;
import troupe.core.algo.advantage.AdvantageEstimator;
import troupe.core.algo.advantage.AdvantageEstimators;
import troupe.core.algo.advantage.AdvantageInput;
import troupe.core.algo.kl.KlController;
import troupe.core.algo.kl.KlControllers;
import troupe.core.algo.kl.KlControllerState;
import troupe.core.algo.kl.KlPlacement;
import troupe.core.algo.policy.ImportanceCorrection;
import troupe.core.algo.policy.PolicyLoss;
import troupe.core.algo.policy.PolicyLossInput;
import troupe.core.algo.policy.PolicyLosses;
import troupe.core.engine.LearnerEngine;
import troupe.core.engine.StepResult;
import troupe.core.engine.WeightUpdate;
import troupe.core.model.GradMode;
import troupe.core.model.PaddedBatch;
import troupe.core.model.scoring.PolicyLogProbs;
import troupe.core.model.scoring.ScoreSettings;
import troupe.core.model.scoring.Scorer;
import troupe.core.model.scoring.TokenScores;
import troupe.core.model.snapshot.WeightSnapshot;
import troupe.core.model.train.AdamW;
import troupe.core.model.train.Checkpoints;
import troupe.core.model.train.TrainablePolicy;
import troupe.core.reward.Objective;
import troupe.core.rollout.RolloutBatch;
import troupe.core.weighting.WeightingResult;

/**
 * The learner's compute for critic-free on-policy RL (GRPO by default): weighting → advantages →
 * clipped surrogate + β·KL(π‖π_ref) loss → AdamW, one optimizer step per epoch with gradients
 * accumulated over micro-batches under the batch's global token totals (ALGORITHMS.md §0).
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
public final class RlLearnerEngine implements LearnerEngine, ModelExporter, AutoCloseable {
    private static final String POLICY_FILE = "policy.safetensors";
    private static final String STATE_FILE = "learner.json";
    private static final Gson GSON = new Gson();
    private static final long VALUE_HEAD_SEED = 0x5EED;

    private final LearnerSettings settings;
    private final NDManager manager;
    private final AdvantageEstimator estimator;
    private final PolicyLoss policyLoss;
    private final StepAdvantages advantages;
    private final StepMetrics metrics = new StepMetrics();
    private TrainablePolicy policy;
    private final ObjectiveWeighting weighting;
    private KlController klController;
    private long version;
    private boolean singlePassAllowed = true;

    public RlLearnerEngine(TrainablePolicy policy, LearnerSettings settings, List<Objective> objectives,
            NDManager manager) {
        this.settings = settings;
        this.manager = manager;
        this.policy = withCritic(policy);
        this.estimator = AdvantageEstimators.create(settings.advantage());
        this.advantages = new StepAdvantages(estimator, settings.klPlacement() == KlPlacement.REWARD, settings.kl(),
                settings.overlong());
        this.policyLoss = PolicyLosses.create(settings.policyLoss());
        this.weighting = new ObjectiveWeighting(settings, objectives);
        this.klController = KlControllers.create(settings.klController());
        this.version = policy.version();
    }

    /** The policy with a value head when the estimator needs a critic (a fresh one, seeded for reruns). */
    private TrainablePolicy withCritic(TrainablePolicy p) {
        return settings.needsCritic() ? p.withValueHead(settings.optimizer(), manager, VALUE_HEAD_SEED) : p;
    }

    @Override
    public long policyVersion() {
        return version;
    }

    @Override
    public WeightUpdate currentWeights() {
        GradMode.offOnThisThread();
        return WeightUpdates.of(WeightSnapshot.export(policy.model().parameters(), version, settings.encoding()), settings.chunkBytes());
    }

    @Override
    public StepResult train(long step, RolloutBatch batch) {
        GradMode.offOnThisThread();
        LearnerBatch b = LearnerBatch.of(batch);
        double temperature = batch.sampling().learnerTemperature();
        // The behaviour distribution differs from the trainer's own when the sampler truncated or
        // tempered it, or when the batch was sampled by an older version (max-policy-lag > 0).
        boolean offPolicy = batch.sampling().differsFromLearner() || batch.policyVersion() != version;
        boolean klInReward = settings.klPlacement() == KlPlacement.REWARD;
        // One pass over the batch when nothing needs the old log-probs before the update: then old =
        // the current parameters, so the training forward's own log-probs (detached) serve as old,
        // and an off-policy batch's importance weights (per row) are taken micro-batch by micro-batch.
        boolean singlePass = singlePassAllowed && settings.epochs() == 1 && !settings.needsCritic() && !klInReward
                && !weighting.strategy().needsGradientGram();
        // Otherwise one scoring forward gives the old log-probs, the health indicators and (gae) the
        // critic's old values.
        List<TokenScores> old = singlePass ? new ArrayList<>() : Scorer.score(policy.model(),
                settings.needsCritic() ? policy.valueHead() : null, b.prompts(), b.responses(),
                new ScoreSettings(temperature, settings.healthTopK(), settings.microBatch()), manager);
        double[][] oldLogp = singlePass ? null : padded(old, b, TokenScores::logprobs);
        double[][] oldValues = settings.needsCritic() ? padded(old, b, TokenScores::values) : null;

        double[][] gramOldLogp = oldLogp;
        WeightingResult weighted = weighting.weigh(batch, () -> gram(batch, b, gramOldLogp, oldValues, temperature));
        double beta = klController.beta();
        StepAdvantages.Result adv = advantages.compute(weighted, b, oldLogp, oldValues, beta,
                batch.sampling().maxNewTokens());
        double[][] isWeights = offPolicy && !singlePass
                ? ImportanceCorrection.weights(oldLogp, b.behaviour(), b.mask(), settings.importance()).weights()
                : null;

        MicroBatchLoss.StepArrays arrays = new MicroBatchLoss.StepArrays(b, oldLogp, adv.advantages(), isWeights,
                singlePass && offPolicy, oldValues, adv.returns(), temperature, BatchTotals.of(b.mask()),
                klInReward ? 0 : beta, old);
        MicroBatchLoss micro = new MicroBatchLoss(policy, policyLoss, settings);
        StepMetrics.LossSums sums = new StepMetrics.LossSums();
        AdamW.StepStats stats = null;
        for (int epoch = 0; epoch < settings.epochs(); epoch++) {
            sums = new StepMetrics.LossSums(); // report the last epoch
            for (int from = 0; from < b.size(); from += settings.microBatch()) {
                micro.run(arrays, from, Math.min(b.size(), from + settings.microBatch()), sums);
            }
            stats = policy.step();
        }
        double[][] metricsLogp = singlePass ? padded(old, b, TokenScores::logprobs) : oldLogp; // for the step's metrics
        version++;
        klController = klController.update(klInReward ? adv.currentKl() : sums.klMean(), b.size());
        WeightUpdate weights = WeightUpdates.of(WeightSnapshot.export(policy.model().parameters(), version, settings.encoding()),
                settings.chunkBytes());
        StepResult.Critic critic = oldValues == null ? StepResult.Critic.NONE
                : StepMetrics.critic(sums, oldValues, adv.returns(), b.mask());
        StepResult.Shaping shaping = new StepResult.Shaping(klInReward, adv.klPenaltyMean(), adv.overlongMean());
        return metrics.result(step, version, weights, batch, weighting.strategy(), weighted, old, metricsLogp, b, sums, stats,
                beta, klInReward ? settings.kl().rewardEstimator() : settings.kl().lossEstimator(),
                settings.healthTopK(), critic, shaping);
    }

    /**
     * False: always score the old log-probs in a separate forward before the update, as with more
     * than one epoch (tests compare the single-pass step against it).
     */
    void allowSinglePass(boolean allowed) {
        singlePassAllowed = allowed;
    }

    /** Per-objective gradients of the policy loss (advantages from that objective alone). */
    private double[][] gram(RolloutBatch batch, LearnerBatch b, double[][] oldLogp, double[][] oldValues,
            double temperature) {
        int k = batch.objectives().size();
        double[][] columns = new double[k][b.size()];
        for (int i = 0; i < b.size(); i++) {
            for (int j = 0; j < k; j++) {
                columns[j][i] = batch.objectives().get(j).direction().sign() * batch.samples().get(i).rewards()[j];
            }
        }
        BatchTotals totals = BatchTotals.of(b.mask());
        Shape shape = new Shape(b.size(), b.maxLength());
        return GradientGram.compute(policy, Pattern.compile(settings.gramParameters()), k, (j, m) -> {
            AdvantageInput objective = AdvantageInput.outcome(columns[j], b.groupIds(), b.mask());
            double[][] adv = estimator.compute(oldValues == null ? objective : objective.withValues(oldValues))
                    .advantages();
            PaddedBatch pb = PaddedBatch.of(b.prompts(), b.responses(), policy.model().config().fillTokenId());
            PolicyLogProbs lp = PolicyLogProbs.compute(policy.model(), pb, temperature, m);
            return policyLoss.compute(PolicyLossInput.of(lp.logprobs(),
                    m.create(LearnerBatch.slice(oldLogp, 0, b.size(), b.maxLength()), shape),
                    m.create(LearnerBatch.slice(adv, 0, b.size(), b.maxLength()), shape),
                    m.create(LearnerBatch.slice(b.mask(), 0, b.size(), b.maxLength()), shape))
                    .withTotals(totals)).loss();
        });
    }

    /** One per-token field of the scores as [N][L], 0 past each response. */
    private static double[][] padded(List<TokenScores> scores, LearnerBatch b,
            java.util.function.Function<TokenScores, float[]> field) {
        double[][] out = new double[b.size()][b.maxLength()];
        for (int i = 0; i < out.length; i++) {
            float[] x = field.apply(scores.get(i));
            for (int t = 0; t < x.length; t++) {
                out[i][t] = x[t];
            }
        }
        return out;
    }

    @Override
    public List<Objective> objectives() {
        return weighting.objectives();
    }

    @Override
    public void addObjective(Objective objective, java.util.OptionalDouble initialShare) {
        weighting.add(objective, initialShare.orElse(0));
    }

    @Override
    public void removeObjective(String name) {
        weighting.remove(name);
        metrics.forget(name);
    }

    @Override
    public Map<String, Double> setWeighting(String strategy, Map<String, Double> initialWeights) {
        return weighting.set(strategy, initialWeights);
    }

    @Override
    public void saveCheckpoint(Path dir) throws IOException {
        GradMode.offOnThisThread();
        Checkpoints.save(policy, dir.resolve(POLICY_FILE));
        JsonObject state = new JsonObject();
        state.addProperty("version", version);
        weighting.save(state);
        state.add("klController", GSON.toJsonTree(klController.state()));
        state.add("metrics", metrics.exportState());
        Files.writeString(dir.resolve(STATE_FILE), GSON.toJson(state), StandardCharsets.UTF_8);
    }

    @Override
    public void restore(Path dir) throws IOException {
        GradMode.offOnThisThread();
        JsonObject state = GSON.fromJson(Files.readString(dir.resolve(STATE_FILE)), JsonObject.class);
        TrainablePolicy restored = Checkpoints.load(dir.resolve(POLICY_FILE), settings.optimizer(), manager);
        policy.close();
        policy = withCritic(restored); // a checkpoint of a critic-free run resumed with gae starts a fresh head
        version = state.get("version").getAsLong();
        weighting.restore(state);
        klController = KlControllers.restore(settings.klController(),
                GSON.fromJson(state.get("klController"), KlControllerState.class));
        metrics.restoreState(state.getAsJsonObject("metrics"));
    }

    @Override
    public void saveModel(Path dir, troupe.core.model.hf.TextTokenizer tokenizer) throws IOException {
        GradMode.offOnThisThread();
        troupe.core.model.hf.HfFolder.save(dir, policy.model(), tokenizer);
    }

    @Override
    public void close() {
        policy.close();
    }
}
