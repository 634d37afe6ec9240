package troupe.api;

import com.typesafe.config.Config;
import troupe.core.config.ConfigReader;

/**
 * The {@code troupe.learner-events} block: how the event hub buffers for its subscribers.
 *
 * @param ringSize events kept for replay to new subscribers
 * @param subscriberBuffer events buffered per subscriber before the oldest are dropped
 */
public record LearnerEventSettings(int ringSize, int subscriberBuffer) {

    public static LearnerEventSettings fromConfig(Config config) {
        ConfigReader r = ConfigReader.at(config, "troupe.learner-events");
        return new LearnerEventSettings(r.intIn("ring-size", 1, 1_000_000), r.intIn("subscriber-buffer", 1, 1_000_000));
    }
}
