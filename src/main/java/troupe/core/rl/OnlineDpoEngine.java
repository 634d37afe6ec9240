package troupe.core.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import troupe.core.algo.Scalars;
import troupe.core.algo.kl.KlControllers;
import troupe.core.algo.preference.OnlinePairSelector.Pair;
import troupe.core.algo.preference.PreferenceLoss;
import troupe.core.algo.preference.PreferenceLossResult;
import troupe.core.algo.preference.PreferenceLosses;
import troupe.core.algo.preference.PreferenceSettings;
import troupe.core.engine.LearnerEngine;
import troupe.core.engine.StepResult;
import troupe.core.engine.WeightUpdate;
import troupe.core.model.GradMode;
import troupe.core.model.hf.HfFolder;
import troupe.core.model.hf.TextTokenizer;
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
 */
public final class OnlineDpoEngine implements LearnerEngine, ModelExporter, AutoCloseable {
    private static final String POLICY_FILE = "policy.safetensors";
    private static final String STATE_FILE = "learner.json";
    private static final Gson GSON = new Gson();

    private final LearnerSettings settings;
    private final PreferenceSettings preference;
    private final double minRewardGap;
    private final NDManager manager;
    private final PreferenceLoss loss;
    private final ObjectiveWeighting weighting;
    private final StepMetrics metrics = new StepMetrics();
    private TrainablePolicy policy;
    private long version;

    /** @param minRewardGap a group whose scalar rewards span at most this gives no pair, ≥ 0 */
    public OnlineDpoEngine(TrainablePolicy policy, LearnerSettings settings, PreferenceSettings preference,
            double minRewardGap, List<Objective> objectives, NDManager manager) {
        this.policy = policy;
        this.settings = settings;
        this.preference = preference;
        this.minRewardGap = minRewardGap;
        this.manager = manager;
        this.loss = PreferenceLosses.create(preference);
        this.weighting = new ObjectiveWeighting(settings, objectives);
        this.version = policy.version();
    }

    @Override
    public long policyVersion() {
        return version;
    }

    @Override
    public WeightUpdate currentWeights() {
        GradMode.offOnThisThread();
        return export();
    }

    @Override
    public StepResult train(long step, RolloutBatch batch) {
        GradMode.offOnThisThread();
        LearnerBatch b = LearnerBatch.of(batch);
        double temperature = batch.sampling().learnerTemperature();
        // The policy before the update, for the health metrics every learner reports (entropy, KL, top-k).
        List<TokenScores> old = Scorer.score(policy.model(), b.prompts(), b.responses(),
                new ScoreSettings(temperature, settings.healthTopK(), settings.microBatch()), manager);
        WeightingResult weighted = weighting.weigh(batch, () -> gram(batch, b, temperature));
        PreferencePairs.Selection selection = PreferencePairs.select(weighted.rewards(), b, minRewardGap);
        List<Pair> pairs = selection.pairs();

        PreferenceStepSums sums = new PreferenceStepSums();
        AdamW.StepStats stats = null;
        int perMicroBatch = Math.max(1, settings.microBatch() / 2);
        for (int epoch = 0; epoch < settings.epochs() && !pairs.isEmpty(); epoch++) {
            sums = new PreferenceStepSums(); // report the last epoch
            for (int from = 0; from < pairs.size(); from += perMicroBatch) {
                microBatch(b, pairs, from, Math.min(pairs.size(), from + perMicroBatch), temperature, sums);
            }
            stats = policy.step();
        }
        version++;
        StepMetrics.LossSums lossSums = new StepMetrics.LossSums();
        lossSums.total = sums.loss();
        lossSums.policy = sums.loss();
        StepResult r = metrics.result(step, version, export(), batch, weighting.strategy(), weighted, old,
                b.padded(old), b, lossSums, stats, preference.beta(), "k1", settings.healthTopK(),
                StepResult.Critic.NONE, StepResult.Shaping.NONE);
        return r.withPreference(sums.toMetrics(preference.loss(), pairs.size(), selection.skipped()));
    }

    private void microBatch(LearnerBatch b, List<Pair> pairs, int from, int to, double temperature,
            PreferenceStepSums sums) {
        try (NDManager m = policy.newStepManager(); GradientCollector gc = policy.newGradientCollector()) {
            PreferenceLossResult r = loss.compute(
                    PreferencePairs.forward(policy.model(), b, pairs, from, to, temperature, m));
            double share = (double) (to - from) / pairs.size();
            NDArray scaled = r.loss().mul(Scalars.like(r.loss(), share));
            gc.backward(scaled);
            sums.add(scaled.getFloat(), to - from, r.metrics());
        }
    }

    /**
     * Per-objective gradients of the preference loss for gradient-based weighting: objective k's
     * pairs are chosen by its own (direction-signed, raw) scores. An objective that ties in every
     * group contributes a zero gradient (a loss times 0 keeps the graph that backward needs).
     */
    private double[][] gram(RolloutBatch batch, LearnerBatch b, double temperature) {
        int k = batch.objectives().size();
        double[][] columns = new double[k][b.size()];
        int longest = 0;
        for (int i = 0; i < b.size(); i++) {
            for (int j = 0; j < k; j++) {
                columns[j][i] = batch.objectives().get(j).direction().sign() * batch.samples().get(i).rewards()[j];
            }
            longest = b.responses()[i].length > b.responses()[longest].length ? i : longest;
        }
        List<Pair> placeholder = List.of(new Pair(longest, longest));
        return GradientGram.compute(policy, Pattern.compile(settings.gramParameters()), k, (j, m) -> {
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

    private WeightUpdate export() {
        return WeightUpdates.of(WeightSnapshot.export(policy.model().parameters(), version, settings.encoding()),
                settings.chunkBytes());
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
        state.addProperty("algorithm", LearnerAlgorithm.ONLINE_DPO);
        state.addProperty("version", version);
        weighting.save(state);
        // The configured KL controller's initial state, so a policy-gradient learner can resume from here.
        state.add("klController", GSON.toJsonTree(KlControllers.create(settings.klController()).state()));
        state.add("metrics", metrics.exportState());
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
        weighting.restore(state);
        metrics.restoreState(state.getAsJsonObject("metrics"));
    }

    @Override
    public void saveModel(Path dir, TextTokenizer tokenizer) throws IOException {
        GradMode.offOnThisThread();
        HfFolder.save(dir, policy.model(), tokenizer);
    }

    @Override
    public void close() {
        policy.close();
    }
}
