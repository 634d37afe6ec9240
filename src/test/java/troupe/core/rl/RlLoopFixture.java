package troupe.core.rl;

import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import troupe.core.engine.RolloutRequest;
import troupe.core.model.CausalLm;
import troupe.core.model.CausalLms;
import troupe.core.model.ModelConfig;
import troupe.core.model.ModelType;
import troupe.core.model.hf.ByteTokenizer;
import troupe.core.model.train.TrainablePolicy;
import troupe.core.reward.Direction;
import troupe.core.reward.Objective;
import troupe.core.reward.RewardScorer;
import troupe.core.reward.ScoreInput;
import troupe.core.rollout.RolloutBatch;
import troupe.core.rollout.SamplingParams;
import troupe.core.reward.SafeScoring;
import troupe.core.task.TaskRegistry;

/** A tiny policy, its frozen reference and a replica, wired like the pipeline wires them, on one thread. */
final class RlLoopFixture implements AutoCloseable {
    static final ModelConfig CONFIG = ModelConfig.sized(ModelType.LLAMA, ByteTokenizer.VOCAB, 2, 64, 4, 64,
            ByteTokenizer.BOS, ByteTokenizer.EOS, ByteTokenizer.PAD);
    static final SamplingParams SAMPLING = new SamplingParams(1f, 0, 1f, 6, 11, false, 1f);

    /** Reward in [0, 1]: the share of response bytes below 128 — about ½ for a random policy. */
    static final RewardScorer LOW_BYTES = new RewardScorer() {
        @Override
        public Objective objective() {
            return new Objective("low-bytes", Direction.MAXIMIZE);
        }

        @Override
        public float[] score(List<ScoreInput> batch) {
            float[] out = new float[batch.size()];
            for (int i = 0; i < out.length; i++) {
                int[] r = batch.get(i).responseTokens();
                int low = 0;
                for (int t : r) {
                    low += t < 128 ? 1 : 0;
                }
                out[i] = r.length == 0 ? 0 : (float) low / r.length;
            }
            return out;
        }
    };

    final NDManager manager = NDManager.newBaseManager();
    final ByteTokenizer tokenizer = new ByteTokenizer();
    final TaskPromptSource prompts;
    final PolicyRolloutEngine generator;
    final PolicyReferenceEngine reference;
    final RlLearnerEngine learner;
    private long batchId;

    RlLoopFixture(String weighting, double learningRate) {
        this(weighting, learningRate, "");
    }

    /** @param overrides HOCON over the learner's defaults, e.g. {@code troupe.learner.advantage.estimator = gae} */
    RlLoopFixture(String weighting, double learningRate, String overrides) {
        CausalLm init = CausalLms.random(CONFIG, manager, 5);
        prompts = new TaskPromptSource(TaskRegistry.create("reverse", com.typesafe.config.ConfigFactory.empty()), tokenizer, 3, 64);
        generator = new PolicyRolloutEngine(CausalLms.random(CONFIG, manager, 5), tokenizer, manager, 0, "");
        reference = new PolicyReferenceEngine(CausalLms.random(CONFIG, manager, 5), manager, 16);
        LearnerSettings settings = LearnerSettings.fromConfig(
                ConfigFactory.parseString(overrides).withFallback(config(weighting, learningRate)).resolve(), 100);
        learner = new RlLearnerEngine(new TrainablePolicy(init, null, settings.optimizer(), manager), settings,
                List.of(LOW_BYTES.objective()), manager);
    }

    static Config config(String weighting, double learningRate) {
        return ConfigFactory.parseString("troupe.learner.optimizer.learning-rate = " + learningRate
                        + "\ntroupe.learner.weighting.strategy = " + weighting
                        + "\ntroupe.learner.micro-batch = 16\ntroupe.learner.weight-chunk-size = 64k")
                .withFallback(ConfigFactory.defaultReference())
                .resolve();
    }

    /** One synchronous pipeline step: sample → score → reference → train → broadcast. */
    StepOutcome step(long step) {
        return train(step, sample());
    }

    /** Sample → score → reference: a batch as the learner receives it. */
    RolloutBatch sample() {
        RolloutBatch b = generator.generate(new RolloutRequest("run", ++batchId, prompts.next(4), 8, SAMPLING));
        b = b.withRewards(SafeScoring.runAll(List.of(LOW_BYTES), b.scoreInputs(),
                java.time.Duration.ofSeconds(30), java.util.concurrent.ForkJoinPool.commonPool()), List.of());
        return b.withReferenceLogprobs(reference.referenceLogprobs(b));
    }

    /** Train → broadcast. */
    StepOutcome train(long step, RolloutBatch b) {
        var result = learner.train(step, b);
        generator.applyWeights(result.weights());
        return new StepOutcome(b, result);
    }

    /** Advances the batch counter as if {@code n} batches had been sampled (a resumed run's position). */
    void skipBatches(int n) {
        batchId += n;
    }

    record StepOutcome(RolloutBatch batch, troupe.core.engine.StepResult result) {}

    @Override
    public void close() {
        learner.close();
        generator.close();
        reference.close();
        manager.close();
    }
}
