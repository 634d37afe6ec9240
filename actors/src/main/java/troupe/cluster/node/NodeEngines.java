package troupe.cluster.node;

import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import troupe.config.TroupeSettings;
import troupe.core.engine.LearnerEngine;
import troupe.core.engine.PromptSource;
import troupe.core.engine.ReferenceEngine;
import troupe.core.engine.RolloutEngine;
import troupe.core.model.CausalLm;
import troupe.core.model.hf.HfFolder;
import troupe.core.model.hf.TextTokenizer;
import troupe.core.model.hf.TokenizerIo;
import troupe.core.model.train.TrainablePolicy;
import troupe.core.reward.Objective;
import troupe.core.reward.RewardScorer;
import troupe.core.reward.ScorerRegistry;
import troupe.core.rl.PolicyReferenceEngine;
import troupe.core.rl.PolicyRolloutEngine;
import troupe.core.rl.RlLearnerEngine;
import troupe.core.rl.TaskPromptSource;
import troupe.core.task.Task;
import troupe.core.task.TaskRegistry;

/**
 * Builds the engines a node's roles own from the node's config: DJL models loaded from
 * {@code troupe.node.model}, scorers from the registry (or plugin classes), the task's prompt
 * source. Native memory lives in one manager per node, closed when the node stops.
 */
final class NodeEngines implements AutoCloseable {
    private final Config config;
    private final TroupeSettings settings;
    private final NodeSettings node;
    private final NDManager manager = NDManager.newBaseManager();

    NodeEngines(Config config, TroupeSettings settings, NodeSettings node) {
        this.config = config;
        this.settings = settings;
        this.node = node;
    }

    Task task() {
        String name = settings.run().task();
        String block = "troupe.task." + name;
        return TaskRegistry.create(name, config.hasPath(block) ? config.getConfig(block) : ConfigFactory.empty());
    }

    List<RolloutEngine> generators(String nodeName) {
        List<RolloutEngine> out = new ArrayList<>();
        for (int i = 0; i < node.generators(); i++) {
            out.add(new PolicyRolloutEngine(model("generator"), tokenizer(), manager, 0, nodeName + "/" + i));
        }
        return out;
    }

    ReferenceEngine reference() {
        return new PolicyReferenceEngine(model("reference"), manager, node.referenceMicroBatch());
    }

    PromptSource prompts() {
        return new TaskPromptSource(task(), tokenizer(), settings.run().seed(), node.promptPool());
    }

    /** The learner starts with the task's default objectives; batches then add or remove columns. */
    LearnerEngine learner() {
        List<Objective> objectives = task().defaultObjectives().stream()
                .map(spec -> spec.create(ScorerRegistry.fromClasspath()).objective())
                .toList();
        return new RlLearnerEngine(new TrainablePolicy(model("learner"), null, settings.learner().optimizer(),
                manager), settings.learner(), objectives, manager);
    }

    /** The scorers of a reward node: the configured names or classes, else the task's defaults. */
    List<RewardScorer> scorers() {
        ScorerRegistry registry = ScorerRegistry.fromClasspath();
        if (node.scorers().isEmpty()) {
            return task().defaultObjectives().stream().map(s -> s.create(registry)).toList();
        }
        List<RewardScorer> out = new ArrayList<>();
        for (String name : node.scorers()) {
            out.add(registry.names().contains(name) ? registry.create(name, scorerConfig(name)) : instantiate(name));
        }
        return out;
    }

    private Config scorerConfig(String name) {
        return node.scorerConfig().hasPath(name) ? node.scorerConfig().getConfig(name) : ConfigFactory.empty();
    }

    private static RewardScorer instantiate(String className) {
        try {
            Class<?> c = Class.forName(className, true, Thread.currentThread().getContextClassLoader());
            if (!RewardScorer.class.isAssignableFrom(c)) {
                throw new IllegalArgumentException("--scorer " + className + " does not implement "
                        + RewardScorer.class.getName());
            }
            return (RewardScorer) c.getConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("--scorer " + className + ": neither a registered scorer name ("
                    + ScorerRegistry.fromClasspath().names() + ") nor a class on the classpath", e);
        } catch (NoSuchMethodException | InstantiationException | IllegalAccessException
                | InvocationTargetException e) {
            throw new IllegalArgumentException("--scorer " + className + ": needs a public no-arg constructor", e);
        }
    }

    private CausalLm model(String role) {
        Path dir = node.requireModel(role);
        try {
            return HfFolder.loadModel(dir, manager);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load model folder " + dir, e);
        }
    }

    private TextTokenizer tokenizer() {
        Path dir = node.requireModel("tokenizer");
        try {
            return TokenizerIo.load(dir, HfFolder.readConfig(dir));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the tokenizer of " + dir, e);
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
