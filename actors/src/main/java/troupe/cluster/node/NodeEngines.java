package troupe.cluster.node;

import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import troupe.config.TroupeSettings;
import troupe.core.config.SettingsException;
import troupe.core.engine.LearnerEngine;
import troupe.core.engine.PromptSource;
import troupe.core.engine.ReferenceEngine;
import troupe.core.engine.RolloutEngine;
import troupe.core.model.CausalLm;
import troupe.core.model.hf.HfFolder;
import troupe.core.model.hf.TextTokenizer;
import troupe.core.model.hf.TokenizerIo;
import troupe.core.model.train.TrainablePolicy;
import troupe.core.reward.RewardScorer;
import troupe.core.reward.ScorerRegistry;
import troupe.core.reward.ScorerSpec;
import troupe.core.rl.LearnerEngines;
import troupe.core.rl.PolicyReferenceEngine;
import troupe.core.rl.PolicyRolloutEngine;
import troupe.core.rl.TaskPromptSource;
import troupe.core.task.Task;
import troupe.core.task.TaskRegistry;
import troupe.pipeline.DataPrompts;
import troupe.pipeline.LocalEngines;
import troupe.pipeline.TrainedModel;

/**
 * Builds only the engines a node's roles own, from the run's keys as {@code troupe run} reads
 * them ({@link LocalEngines} builds all of them for one JVM): models loaded from
 * {@code troupe.run.model}, the task's prompt source, scorers from {@code troupe.rewards.scorers}
 * or {@code troupe.node.scorers} (registry names or plugin classes, all through {@link ScorerRegistry}). Native memory lives in one
 * manager per node, closed when the node stops. On the learner node it is also what the end of
 * the run reads ({@link TrainedModel}): the policy for {@code final/}, the held-out prompts and scorers.
 */
final class NodeEngines implements TrainedModel, AutoCloseable {
    private final Config config;
    private final TroupeSettings settings;
    private final NodeSettings node;
    private final Task task;
    private NDManager manager;
    /** Set by {@link #learner()} and {@link #prompts()}, for the end of the run. */
    private LearnerEngine learner;
    private List<RewardScorer> runScorers = List.of();
    private DataPrompts data;

    NodeEngines(Config config, TroupeSettings settings, NodeSettings node) {
        this.config = config;
        this.settings = settings;
        this.node = node;
        this.task = TaskRegistry.fromRun(config, settings.run().task());
    }

    List<RolloutEngine> generators(String nodeName) {
        List<RolloutEngine> out = new ArrayList<>();
        for (int i = 0; i < settings.run().generators(); i++) {
            // Version 0: the learner syncs its current weights to a generator before its first batch.
            out.add(new PolicyRolloutEngine(model(), tokenizer(), manager(), 0, nodeName + "/" + i));
        }
        return out;
    }

    ReferenceEngine reference() {
        return new PolicyReferenceEngine(model(), manager(), settings.learner().microBatch());
    }

    PromptSource prompts() {
        if (settings.run().hasData()) {
            try {
                data = DataPrompts.load(settings, modelDir(), tokenizer(), HfFolder.readConfig(modelDir()));
                return LocalEngines.forAlgorithm(settings, data.source(settings.run().seed()), tokenizer());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + settings.run().data(), e);
            }
        }
        return LocalEngines.forAlgorithm(settings,
                new TaskPromptSource(task, tokenizer(), settings.run().seed(), settings.run().promptPool()), tokenizer());
    }

    /** The learner starts with the run's objectives; batches then add or remove columns as scorers come and go. */
    LearnerEngine learner() {
        runScorers = LocalEngines.scorers(config, task);
        learner = LocalEngines.learner(settings,
                new TrainablePolicy(model(), null, settings.learner().optimizer(), manager()), runScorers, manager(),
                tokenizer());
        return learner;
    }

    @Override
    public void saveModel(Path dir) throws IOException {
        LearnerEngines.saveModel(learner, dir, tokenizer());
    }

    @Override
    public Task task() {
        return task;
    }

    @Override
    public Optional<DataPrompts> data() {
        return Optional.ofNullable(data);
    }

    @Override
    public List<RewardScorer> runScorers() {
        return runScorers;
    }

    /**
     * The scorers of a reward node: {@code troupe.node.scorers} if given (registry or class names,
     * each with its {@code troupe.rewards.scorers} entry when the run declares one), else the run's.
     */
    List<RewardScorer> scorers() {
        if (node.scorers().isEmpty()) {
            return LocalEngines.scorers(config, task);
        }
        List<ScorerSpec> specs = new ArrayList<>();
        for (String name : node.scorers()) {
            specs.add(ScorerRegistry.declared(config, name, "troupe.node.scorers '" + name + "'"));
        }
        return ScorerRegistry.fromClasspath().withDefaultsOf(config).createAll(specs);
    }

    private NDManager manager() {
        if (manager == null) {
            manager = NDManager.newBaseManager(); // first use loads libtorch; a reward node may never need it
        }
        return manager;
    }

    private Path modelDir() {
        Path dir = settings.run().modelDir(Path.of(System.getenv().getOrDefault("TROUPE_HOME", ".")));
        if (!Files.isDirectory(dir)) {
            throw SettingsException.because("troupe.run.model", "no model folder at " + dir.toAbsolutePath());
        }
        return dir;
    }

    private CausalLm model() {
        try {
            return HfFolder.loadModel(modelDir(), manager());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load model folder " + modelDir(), e);
        }
    }

    TextTokenizer tokenizer() {
        try {
            return TokenizerIo.load(modelDir(), HfFolder.readConfig(modelDir()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the tokenizer of " + modelDir(), e);
        }
    }

    @Override
    public void close() {
        if (manager != null) {
            manager.close();
        }
    }
}
