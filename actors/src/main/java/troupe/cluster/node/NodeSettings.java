package troupe.cluster.node;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;
import troupe.core.config.ConfigReader;

/**
 * The {@code troupe.node} block: what only a cluster node has (the run's own keys are read by
 * {@code TroupeSettings}). Keys are documented in reference.conf.
 *
 * @param shape the deployment shape in force ({@link NodeConfig} records the one chosen)
 * @param runId run folder name of a learner node
 * @param scorers scorer registry names or class names a reward node hosts; empty = the run's scorers
 * @param servers a learner node serves gRPC (Watch, Control) and the dashboard like `troupe run`
 */
public record NodeSettings(String shape, String runId, List<String> scorers, boolean servers) {

    public static NodeSettings fromConfig(Config config) {
        ConfigReader r = ConfigReader.at(config, "troupe.node");
        return new NodeSettings(r.oneOf("shape", NodeConfig.SHAPES), r.string("run-id"), r.stringList("scorers"),
                r.bool("servers"));
    }

    /** Same node with more scorers (from --scorer). */
    public NodeSettings withMoreScorers(List<String> more) {
        List<String> all = new ArrayList<>(scorers);
        all.addAll(more);
        return new NodeSettings(shape, runId, List.copyOf(all), servers);
    }
}
