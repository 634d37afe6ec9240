package troupe.cluster.node;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.List;
import troupe.core.config.ConfigReader;
import troupe.core.rollout.SamplingParams;

/**
 * The {@code troupe.node} block: what one cluster node loads and hosts. Keys are documented in
 * reference.conf.
 *
 * @param model policy model folder; empty path when not set (a reward-only node needs none)
 * @param scorers scorer registry names or class names a reward node hosts; empty = task defaults
 */
public record NodeSettings(String shape, Path model, String runId, int generators, List<String> scorers,
        Config scorerConfig, int referenceMicroBatch, int promptPool, SamplingParams sampling) {

    public static NodeSettings fromConfig(Config config) {
        ConfigReader r = ConfigReader.at(config, "troupe.node");
        Config s = config.getConfig("troupe.node.sampling");
        SamplingParams sampling = new SamplingParams((float) s.getDouble("temperature"), s.getInt("top-k"),
                (float) s.getDouble("top-p"), s.getInt("max-new-tokens"), 0, false,
                (float) s.getDouble("learner-temperature"));
        return new NodeSettings(r.string("shape"), Path.of(r.string("model")), r.string("run-id"),
                r.intIn("generators", 1, 64), config.getStringList("troupe.node.scorers"),
                config.getConfig("troupe.node.scorer-config"), r.intIn("reference-micro-batch", 1, 65_536),
                r.intIn("prompt-pool", 1, 10_000_000), sampling);
    }

    /** The model folder, or a clear error naming the key when a role needs it and it is not set. */
    public Path requireModel(String role) {
        if (model.toString().isEmpty()) {
            throw new IllegalArgumentException("troupe.node.model: the " + role + " role needs a model folder");
        }
        return model;
    }

    /** Same node with more scorers (from --scorer). */
    public NodeSettings withMoreScorers(List<String> more) {
        List<String> all = new java.util.ArrayList<>(scorers);
        all.addAll(more);
        return new NodeSettings(shape, model, runId, generators, List.copyOf(all), scorerConfig, referenceMicroBatch,
                promptPool, sampling);
    }
}
