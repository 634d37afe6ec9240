package troupe.pipeline;

import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import troupe.config.TroupeSettings;
import troupe.core.config.SettingsException;
import troupe.core.engine.LearnerEngine;
import troupe.core.engine.PromptSource;
import troupe.core.model.ModelConfig;
import troupe.core.model.hf.HfFolder;
import troupe.core.model.hf.TextTokenizer;
import troupe.core.model.hf.TokenizerIo;
import troupe.core.model.train.TrainablePolicy;
import troupe.core.reward.RewardScorer;
import troupe.core.reward.ScorerRegistry;
import troupe.core.reward.ScorerSpec;
import troupe.core.rl.LearnerAlgorithm;
import troupe.core.rl.PolicyReferenceEngine;
import troupe.core.rl.PolicyRolloutEngine;
import troupe.core.rl.LearnerEngines;
import troupe.core.rl.TaskPromptSource;
import troupe.core.task.Task;
import troupe.core.task.TaskRegistry;

/**
 * The DJL-backed engines of a run in this JVM, built from settings: the trainable policy, its
 * generator replicas and the frozen reference are three loads of the same model folder, so the
 * reference is the initial policy and every replica starts identical to the learner.
 */
public final class LocalEngines implements TrainedModel, AutoCloseable {
    private final NDManager manager;
    private final Run.Components components;
    private final TextTokenizer tokenizer;
    private final Task task;
    private final DataPrompts data;

    private LocalEngines(NDManager manager, Run.Components components, TextTokenizer tokenizer, Task task,
            DataPrompts data) {
        this.manager = manager;
        this.components = components;
        this.tokenizer = tokenizer;
        this.task = task;
        this.data = data;
    }

    /**
     * @param modelDir Hugging Face folder of the policy (config.json, model.safetensors, tokenizer)
     * @throws troupe.core.prompts.PromptDataException when {@code troupe.run.data} has a bad line
     */
    public static LocalEngines load(Config config, TroupeSettings s, Path modelDir) {
        if (!Files.isDirectory(modelDir)) {
            throw SettingsException.because("troupe.run.model", "no model folder at " + modelDir.toAbsolutePath());
        }
        NDManager manager = NDManager.newBaseManager();
        try {
            ModelConfig mc = HfFolder.readConfig(modelDir);
            TextTokenizer tokenizer = TokenizerIo.load(modelDir, mc);
            Task task = TaskRegistry.fromRun(config, s.run().task());
            requireReward(config, s);
            DataPrompts data = s.run().hasData() ? DataPrompts.load(s, modelDir, tokenizer, mc) : null;
            List<RewardScorer> scorers = scorers(config, task);
            TrainablePolicy policy = new TrainablePolicy(HfFolder.loadModel(modelDir, manager), null,
                    s.learner().optimizer(), manager);
            LearnerEngine learner = learner(s, policy, scorers, manager, tokenizer);
            List<troupe.core.engine.RolloutEngine> generators = new ArrayList<>();
            for (int i = 0; i < s.run().generators(); i++) {
                generators.add(new PolicyRolloutEngine(HfFolder.loadModel(modelDir, manager), tokenizer, manager,
                        learner.policyVersion(), ""));
            }
            PolicyReferenceEngine reference = new PolicyReferenceEngine(HfFolder.loadModel(modelDir, manager), manager,
                    s.learner().microBatch());
            PromptSource prompts = data != null ? data.source(s.run().seed())
                    : new TaskPromptSource(task, tokenizer, s.run().seed(), s.run().promptPool());
            prompts = forAlgorithm(s, prompts, tokenizer);
            Run.Components c = new Run.Components(prompts, s.sampling().params(s.run().seed()), generators, reference,
                    learner, scorers, tokenizer);
            return new LocalEngines(manager, c, tokenizer, task, data);
        } catch (IOException e) {
            manager.close();
            throw new UncheckedIOException("cannot load model folder " + modelDir, e);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** The learner engine of {@code troupe.learner.algorithm}, starting with the scorers' objectives. */
    public static LearnerEngine learner(TroupeSettings s, TrainablePolicy policy,
            List<RewardScorer> scorers, NDManager manager) {
        return s.algorithm().engine(policy, s.learner(), scorers.stream().map(RewardScorer::objective).toList(),
                manager);
    }

    /** The same, for algorithms that render text into prompts (reward-augmented). */
    public static LearnerEngine learner(TroupeSettings s, TrainablePolicy policy,
            List<RewardScorer> scorers, NDManager manager, TextTokenizer tokenizer) {
        return s.algorithm().engine(policy, s.learner(), scorers.stream().map(RewardScorer::objective).toList(),
                manager, tokenizer);
    }

    /** The run's prompts as its algorithm samples them (reward-augmented: conditioned on the best score). */
    public static PromptSource forAlgorithm(TroupeSettings s, PromptSource prompts, TextTokenizer tokenizer) {
        return s.algorithm() instanceof LearnerAlgorithm.RewardAugmented ra ? ra.conditionedPrompts(prompts, tokenizer)
                : prompts;
    }

    /** Writes the learner's current policy as a Hugging Face folder (the run's final model). */
    @Override
    public void saveModel(Path dir) throws IOException {
        LearnerEngines.saveModel(components.learner(), dir, tokenizer);
    }

    /**
     * A prompt file has no verifier of its own: a run on one needs declared rewards. Fails with
     * exit-2 wording before any model loads.
     */
    public static void requireReward(Config config, TroupeSettings s) {
        if (s.run().hasData() && ScorerRegistry.configured(config).isEmpty()) {
            throw SettingsException.because("troupe.run.data", "no reward: use --reward or troupe.rewards.scorers");
        }
    }

    /** The configured scorers ({@code troupe.rewards.scorers}), or the task's own objectives when none are. */
    public static List<RewardScorer> scorers(Config config, Task task) {
        List<ScorerSpec> specs = ScorerRegistry.configured(config);
        return ScorerRegistry.fromClasspath().withDefaultsOf(config)
                .createAll(specs.isEmpty() ? task.defaultObjectives() : specs);
    }

    public Run.Components components() {
        return components;
    }

    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public List<RewardScorer> runScorers() {
        return components.scorers();
    }

    @Override
    public Task task() {
        return task;
    }

    /** The prompt file of the run, when it trains on one ({@code troupe.run.data}). */
    @Override
    public java.util.Optional<DataPrompts> data() {
        return java.util.Optional.ofNullable(data);
    }

    @Override
    public void close() {
        for (var g : components.generators()) {
            ((PolicyRolloutEngine) g).close();
        }
        ((PolicyReferenceEngine) components.reference()).close();
        LearnerEngines.close(components.learner());
        manager.close();
    }
}
