package troupe.cluster.node;

import com.typesafe.config.Config;
import java.util.List;
import troupe.core.config.ConfigReader;

/**
 * What a role node does when the learner says the run has ended ({@code troupe.node.after-run};
 * reasons for the default in reference.conf). Read before the node's actor system starts, so a
 * wrong value is a settings error naming the key, not a failure at the run's end.
 */
enum AfterRun {
    /** Leave the cluster and exit 0. */
    EXIT,
    /** Stay registered for the next learner that joins. */
    WAIT;

    static final String KEY = "troupe.node.after-run";

    static AfterRun fromConfig(Config config) {
        return valueOf(ConfigReader.at(config, "troupe.node").oneOf("after-run", List.of("exit", "wait"))
                .toUpperCase(java.util.Locale.ROOT));
    }

    /** As the key spells it. */
    String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
