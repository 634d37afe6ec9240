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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Supplier;
import troupe.core.engine.LearnerEngine;
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

/**
 * What every learner algorithm's engine shares: the trainable policy and its version, the
 * weighting state over the objectives, the metrics' state, checkpoints, weight export — and the
 * middle of the step, micro-batch losses → backward → optimiser ({@link #optimise}). A subclass
 * writes {@code train} as its phases and keeps only its own state.
 */
abstract sealed class AbstractLearnerEngine implements LearnerEngine, ModelExporter, AutoCloseable
        permits RlLearnerEngine, OnlineDpoEngine, RaftEngine, ProEngine {
    private static final String POLICY_FILE = "policy.safetensors";
    private static final String STATE_FILE = "learner.json";
    static final Gson GSON = new Gson();

    final LearnerSettings settings;
    final NDManager manager;
    final RewardStage rewardStage;
    final StepMetrics metrics = new StepMetrics();
    private final String algorithm;
    TrainablePolicy policy;
    long version;
    /** Phases of the last step a subclass or {@link #optimise} timed ({@link #lastPhaseMillis}). */
    final Map<String, Double> phaseMillis = new LinkedHashMap<>();

    AbstractLearnerEngine(String algorithm, TrainablePolicy policy, LearnerSettings settings,
            List<Objective> objectives, NDManager manager) {
        this.algorithm = algorithm;
        this.policy = policy;
        this.settings = settings;
        this.manager = manager;
        this.rewardStage = new RewardStage(settings, objectives);
        this.version = policy.version();
    }

    /**
     * One micro-batch's loss, built on {@code m} inside an open gradient collector; records its
     * metrics in {@code sums}. Every array on {@code m} but the returned loss is closed before
     * backward runs: read any value (e.g. {@code getFloat}) before returning.
     */
    interface MicroBatchStep<S> {
        NDArray loss(int from, int to, NDManager m, S sums);
    }

    /** @param stats the last epoch's optimiser step; null when the step had nothing to train on */
    record Optimised<S>(S sums, AdamW.StepStats stats) {}

    /**
     * Phases 3–5 of a step, per epoch: each micro-batch's loss, its backward (gradients accumulate
     * under the step's global totals, ALGORITHMS.md §0), then one optimiser step. A step with no
     * items changes no weight. The sums returned are the last epoch's.
     */
    final <S> Optimised<S> optimise(StepInput input, Supplier<S> freshSums, MicroBatchStep<S> step) {
        S sums = freshSums.get();
        AdamW.StepStats stats = null;
        double optimizerMillis = 0;
        int items = input.items();
        int perMicroBatch = input.itemsPerMicroBatch(settings.microBatch());
        for (int epoch = 0; epoch < settings.epochs() && items > 0; epoch++) {
            sums = freshSums.get(); // report the last epoch
            for (int from = 0; from < items; from += perMicroBatch) {
                try (NDManager outer = policy.newStepManager(); GradientCollector gc = policy.newGradientCollector()) {
                    NDArray loss;
                    try (NDManager m = outer.newSubManager()) {
                        loss = step.loss(from, Math.min(items, from + perMicroBatch), m, sums);
                        loss.attach(outer);
                    }
                    // Only the loss outlives the forward's scope: autograd holds what backward needs and
                    // frees it node by node, as in PyTorch, instead of every forward temporary staying
                    // alive until backward ends. The gradients accumulate on the parameters.
                    gc.backward(loss);
                }
            }
            long t0 = System.nanoTime();
            stats = policy.step();
            optimizerMillis += (System.nanoTime() - t0) / 1e6;
        }
        phaseMillis.put("optimizer", optimizerMillis);
        return new Optimised<>(sums, stats);
    }

    /**
     * The policy's per-token scores of the batch before the update (log-probs, entropy, top-k
     * health on the sampled rows; the critic's values when {@code withValues}): one forward
     * without gradient.
     */
    final List<TokenScores> scoreOld(LearnerBatch b, double temperature, boolean withValues) {
        return Scorer.score(policy.model(), withValues ? policy.valueHead() : null, b.prompts(), b.responses(),
                new ScoreSettings(temperature, settings.healthTopK(), settings.microBatch(), settings.healthSampleRows()),
                manager);
    }

    /** The current weights as generators load them. */
    final WeightUpdate export() {
        return WeightUpdates.of(WeightSnapshot.export(policy.model().parameters(), version, settings.encoding()),
                settings.chunkBytes());
    }

    /** Writes the algorithm's own state (written after the weighting state, before the metrics). */
    abstract void saveState(JsonObject state);

    /** Reads what {@link #saveState} wrote. */
    abstract void restoreState(JsonObject state);

    /** The restored policy as this algorithm trains it (e.g. with a value head). */
    TrainablePolicy adopt(TrainablePolicy restored) {
        return restored;
    }

    @Override
    public Map<String, Double> lastPhaseMillis() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(phaseMillis));
    }

    @Override
    public double[] lastScalarRewards() {
        return metrics.lastScalarRewards();
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
    public List<Objective> objectives() {
        return rewardStage.objectives();
    }

    @Override
    public void addObjective(Objective objective, OptionalDouble initialShare) {
        rewardStage.add(objective, initialShare.orElse(0));
    }

    @Override
    public void removeObjective(String name) {
        rewardStage.remove(name);
        metrics.forget(name);
    }

    @Override
    public Map<String, Double> setWeighting(String strategy, Map<String, Double> initialWeights) {
        return rewardStage.set(strategy, initialWeights);
    }

    @Override
    public void saveCheckpoint(Path dir) throws IOException {
        GradMode.offOnThisThread();
        Checkpoints.save(policy, dir.resolve(POLICY_FILE));
        JsonObject state = new JsonObject();
        state.addProperty("algorithm", algorithm);
        state.addProperty("version", version);
        rewardStage.save(state);
        saveState(state);
        state.add("metrics", metrics.exportState());
        Files.writeString(dir.resolve(STATE_FILE), GSON.toJson(state), StandardCharsets.UTF_8);
    }

    @Override
    public void restore(Path dir) throws IOException {
        GradMode.offOnThisThread();
        JsonObject state = GSON.fromJson(Files.readString(dir.resolve(STATE_FILE)), JsonObject.class);
        TrainablePolicy restored = Checkpoints.load(dir.resolve(POLICY_FILE), settings.optimizer(), manager);
        policy.close();
        policy = adopt(restored);
        version = state.get("version").getAsLong();
        rewardStage.restore(state);
        restoreState(state);
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
