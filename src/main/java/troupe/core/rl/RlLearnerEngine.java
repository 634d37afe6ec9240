package troupe.core.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import troupe.core.algo.BatchTotals;
import troupe.core.algo.advantage.AdvantageEstimator;
import troupe.core.algo.advantage.AdvantageEstimators;
import troupe.core.algo.advantage.AdvantageInput;
import troupe.core.algo.kl.KlController;
import troupe.core.algo.kl.KlControllerState;
import troupe.core.algo.kl.KlLoss;
import troupe.core.algo.kl.KlSettings;
import troupe.core.algo.policy.EntropyBonus;
import troupe.core.algo.policy.ImportanceCorrection;
import troupe.core.algo.policy.PolicyLoss;
import troupe.core.algo.policy.PolicyLossInput;
import troupe.core.algo.policy.PolicyLossResult;
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
import troupe.core.reward.ObjectiveNormalizer;
import troupe.core.rollout.RolloutBatch;
import troupe.core.weighting.WeightingInput;
import troupe.core.weighting.WeightingRegistry;
import troupe.core.weighting.WeightingResult;
import troupe.core.weighting.WeightingStrategy;

/**
 * The learner's compute for critic-free on-policy RL (GRPO by default): weighting → advantages →
 * clipped surrogate + β·KL(π‖π_ref) loss → AdamW, one optimizer step per epoch with gradients
 * accumulated over micro-batches under the batch's global token totals (ALGORITHMS.md §0).
 *
 * <p>{@code old} log-probs are the trainer's own, computed at the start of the step (TRL's
 * "old_trainer"); when the sampler's distribution differed from the learner's (temperature,
 * top-k, top-p) an importance weight old/behaviour corrects the mismatch (§9).
 */
public final class RlLearnerEngine implements LearnerEngine, AutoCloseable {
    private static final String POLICY_FILE = "policy.safetensors";
    private static final String STATE_FILE = "learner.json";
    private static final Gson GSON = new Gson();

    private final LearnerSettings settings;
    private final NDManager manager;
    private final AdvantageEstimator estimator;
    private final PolicyLoss policyLoss;
    private final StepMetrics metrics = new StepMetrics();
    private TrainablePolicy policy;
    private WeightingStrategy weighting;
    private KlController klController;
    private final ObjectiveNormalizer normalizer;
    private long version;

    public RlLearnerEngine(TrainablePolicy policy, LearnerSettings settings, List<Objective> objectives,
            NDManager manager) {
        String name = settings.advantage().estimator();
        if (name.equals("gae") || name.equals("remax")) {
            throw new IllegalArgumentException("troupe.learner.advantage.estimator: '" + name
                    + "' needs a critic or greedy baselines, which this learner does not run; supported here: "
                    + "grpo, dr-grpo, rloo, reinforce++, reinforce++-baseline");
        }
        this.policy = policy;
        this.settings = settings;
        this.manager = manager;
        this.estimator = AdvantageEstimators.create(settings.advantage());
        this.policyLoss = PolicyLosses.create(settings.policyLoss());
        this.weighting = WeightingRegistry.create(settings.weighting(), settings.weightingConfig(), objectives);
        this.klController = KlController.create(settings.klController());
        this.normalizer = settings.normalization().map(ObjectiveNormalizer::new).orElse(null);
        this.version = policy.version();
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
        List<TokenScores> old = Scorer.score(policy.model(), b.prompts(), b.responses(),
                new ScoreSettings(temperature, settings.healthTopK(), settings.microBatch()), manager);
        double[][] oldLogp = padded(old, b);

        for (Objective o : batch.objectives()) {
            weighting.addObjective(o); // no-op when present: an objective that joined mid-run enters here
        }
        WeightingInput in = WeightingInput.of(batch);
        if (normalizer != null) {
            // z-scores per objective (running statistics), so no objective dominates by its units
            in = new WeightingInput(in.objectives(), normalizer.normalize(in.names(), in.rewards()), in.groupIds(),
                    in.validation(), in.gradientGram());
        }
        if (weighting.needsValidation()) {
            in = in.withValidation(StepMetrics.batchMeans(batch)); // batch means stand in for a held-out pass
        }
        if (weighting.needsGradientGram() && !batch.objectives().isEmpty()) {
            in = in.withGradientGram(gram(batch, b, oldLogp, temperature));
        }
        WeightingResult weighted = weighting.step(in);
        double[][] advantages = advantages(weighted, b);
        // The behaviour distribution differs from the trainer's own when the sampler truncated or
        // tempered it, or when the batch was sampled by an older version (max-policy-lag > 0).
        boolean offPolicy = batch.sampling().differsFromLearner() || batch.policyVersion() != version;
        double[][] isWeights = offPolicy
                ? ImportanceCorrection.weights(oldLogp, b.behaviour(), b.mask(), settings.importance()).weights()
                : null;

        StepMetrics.LossSums sums = new StepMetrics.LossSums();
        AdamW.StepStats stats = null;
        BatchTotals totals = BatchTotals.of(b.mask());
        for (int epoch = 0; epoch < settings.epochs(); epoch++) {
            sums = new StepMetrics.LossSums(); // report the last epoch
            for (int from = 0; from < b.size(); from += settings.microBatch()) {
                int to = Math.min(b.size(), from + settings.microBatch());
                microBatch(b, from, to, oldLogp, advantages, isWeights, temperature, totals, sums);
            }
            stats = policy.step();
        }
        version++;
        klController = klController.update(sums.klMean(), b.size());
        WeightUpdate weights = WeightUpdates.of(WeightSnapshot.export(policy.model().parameters(), version, settings.encoding()),
                settings.chunkBytes());
        return metrics.result(step, version, weights, batch, weighting, weighted, old, oldLogp, b, sums, stats,
                klController.beta(), settings.kl().lossEstimator(), settings.healthTopK());
    }

    private void microBatch(LearnerBatch b, int from, int to, double[][] oldLogp, double[][] advantages,
            double[][] isWeights, double temperature, BatchTotals totals, StepMetrics.LossSums sums) {
        int width = b.widthOf(from, to);
        Shape shape = new Shape(to - from, width);
        try (NDManager m = policy.newStepManager(); GradientCollector gc = policy.newGradientCollector()) {
            PaddedBatch pb = PaddedBatch.of(Arrays.copyOfRange(b.prompts(), from, to),
                    Arrays.copyOfRange(b.responses(), from, to), policy.model().config().fillTokenId());
            PolicyLogProbs lp = PolicyLogProbs.compute(policy.model(), pb, temperature, m);
            NDArray mask = m.create(LearnerBatch.slice(b.mask(), from, to, width), shape);
            NDArray oldNd = m.create(LearnerBatch.slice(oldLogp, from, to, width), shape);
            NDArray adv = m.create(LearnerBatch.slice(advantages, from, to, width), shape);
            PolicyLossInput input = PolicyLossInput.of(lp.logprobs(), oldNd, adv, mask).withTotals(totals);
            if (isWeights != null) {
                input = input.withIsWeights(m.create(LearnerBatch.slice(isWeights, from, to, width), shape));
            }
            PolicyLossResult pl = policyLoss.compute(input);
            NDArray loss = pl.loss();
            double beta = klController.beta();
            double klValue = 0;
            if (beta > 0) {
                NDArray ref = m.create(LearnerBatch.slice(b.reference(), from, to, width), shape);
                KlLoss.Result kl = KlLoss.compute(lp.logprobs(), ref, mask, withCoef(settings.kl(), beta),
                        settings.policyLoss().aggregation(), totals);
                loss = loss.add(kl.loss());
                klValue = kl.loss().getFloat();
                sums.addKlMean(kl.meanKl(), pl.metrics().tokens());
            }
            double entropyValue = 0;
            if (settings.policyLoss().entropyCoef() > 0) {
                NDArray bonus = EntropyBonus.loss(lp.entropy(), mask, settings.policyLoss().entropyCoef(),
                        settings.policyLoss().aggregation(), totals);
                loss = loss.add(bonus);
                entropyValue = bonus.getFloat();
            }
            gc.backward(loss);
            sums.add(loss.getFloat(), pl.loss().getFloat(), klValue, entropyValue, pl.metrics());
        }
    }

    private double[][] advantages(WeightingResult weighted, LearnerBatch b) {
        double[] r = weighted.rewards();
        if (weighted.kind() == WeightingResult.Kind.ADVANTAGE) {
            double[][] out = new double[b.size()][b.maxLength()];
            for (int i = 0; i < out.length; i++) {
                for (int t = 0; t < out[i].length; t++) {
                    out[i][t] = r[i] * b.mask()[i][t];
                }
            }
            return out;
        }
        return estimator.compute(AdvantageInput.outcome(r, b.groupIds(), b.mask())).advantages();
    }

    /** Per-objective gradients of the policy loss (advantages from that objective alone). */
    private double[][] gram(RolloutBatch batch, LearnerBatch b, double[][] oldLogp, double temperature) {
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
            double[][] adv = estimator.compute(AdvantageInput.outcome(columns[j], b.groupIds(), b.mask())).advantages();
            PaddedBatch pb = PaddedBatch.of(b.prompts(), b.responses(), policy.model().config().fillTokenId());
            PolicyLogProbs lp = PolicyLogProbs.compute(policy.model(), pb, temperature, m);
            return policyLoss.compute(PolicyLossInput.of(lp.logprobs(),
                    m.create(LearnerBatch.slice(oldLogp, 0, b.size(), b.maxLength()), shape),
                    m.create(LearnerBatch.slice(adv, 0, b.size(), b.maxLength()), shape),
                    m.create(LearnerBatch.slice(b.mask(), 0, b.size(), b.maxLength()), shape))
                    .withTotals(totals)).loss();
        });
    }

    private static KlSettings withCoef(KlSettings s, double beta) {
        return new KlSettings(s.rewardEstimator(), s.lossEstimator(), beta, s.logRatioClamp(), s.k3Clamp());
    }

    private static double[][] padded(List<TokenScores> scores, LearnerBatch b) {
        double[][] out = new double[b.size()][b.maxLength()];
        for (int i = 0; i < out.length; i++) {
            float[] lp = scores.get(i).logprobs();
            for (int t = 0; t < lp.length; t++) {
                out[i][t] = lp[t];
            }
        }
        return out;
    }

    @Override
    public List<Objective> objectives() {
        return weighting.objectives();
    }

    @Override
    public void addObjective(Objective objective) {
        weighting.addObjective(objective);
    }

    @Override
    public void removeObjective(String name) {
        weighting.removeObjective(name);
        metrics.forget(name);
        if (normalizer != null) {
            normalizer.remove(name);
        }
    }

    @Override
    public Map<String, Double> setWeighting(String strategy, Map<String, Double> initialWeights) {
        List<Objective> current = weighting.objectives();
        Config block = settings.strategyConfig(strategy);
        if (!initialWeights.isEmpty()) {
            Set<String> names = new TreeSet<>();
            current.forEach(o -> names.add(o.name()));
            if (!names.equals(new TreeSet<>(initialWeights.keySet()))) {
                throw new IllegalArgumentException("must name exactly the current objectives " + names + ", got "
                        + new TreeSet<>(initialWeights.keySet()));
            }
            // fromMap takes keys as keys, not paths, so names with dots stay whole.
            block = block.withValue("initial-weights", ConfigValueFactory.fromMap(initialWeights));
        }
        // Built before it replaces the current one, so a rejected change leaves the run as it was.
        WeightingStrategy next = WeightingRegistry.create(strategy, block, current);
        weighting = next;
        return next.weights();
    }

    @Override
    public void saveCheckpoint(Path dir) throws IOException {
        GradMode.offOnThisThread();
        Checkpoints.save(policy, dir.resolve(POLICY_FILE));
        JsonObject state = new JsonObject();
        state.addProperty("version", version);
        state.addProperty("weighting", weighting.name());
        state.addProperty("weightingState", weighting.exportState());
        state.add("klController", GSON.toJsonTree(klController.state()));
        state.add("metrics", metrics.exportState());
        if (normalizer != null) {
            state.add("normalizer", GSON.toJsonTree(normalizer.snapshot()));
        }
        Files.writeString(dir.resolve(STATE_FILE), GSON.toJson(state), StandardCharsets.UTF_8);
    }

    @Override
    public void restore(Path dir) throws IOException {
        GradMode.offOnThisThread();
        JsonObject state = GSON.fromJson(Files.readString(dir.resolve(STATE_FILE)), JsonObject.class);
        TrainablePolicy restored = Checkpoints.load(dir.resolve(POLICY_FILE), settings.optimizer(), manager);
        policy.close();
        policy = restored;
        version = state.get("version").getAsLong();
        String strategy = state.get("weighting").getAsString();
        weighting = WeightingRegistry.create(strategy, settings.strategyConfig(strategy), List.of());
        weighting.restoreState(state.get("weightingState").getAsString());
        klController = KlController.restore(settings.klController(),
                GSON.fromJson(state.get("klController"), KlControllerState.class));
        metrics.restoreState(state.getAsJsonObject("metrics"));
        if (normalizer != null && state.has("normalizer")) {
            java.lang.reflect.Type type = new com.google.gson.reflect.TypeToken<
                    java.util.Map<String, troupe.core.reward.RunningStats.Snapshot>>() {}.getType();
            normalizer.restore(GSON.fromJson(state.get("normalizer"), type));
        }
    }

    /** Writes the current policy as a Hugging Face folder (what `troupe generate --model` reads). */
    public void saveModel(Path dir, troupe.core.model.hf.TextTokenizer tokenizer) throws IOException {
        GradMode.offOnThisThread();
        troupe.core.model.hf.HfFolder.save(dir, policy.model(), tokenizer);
    }

    @Override
    public void close() {
        policy.close();
    }
}
