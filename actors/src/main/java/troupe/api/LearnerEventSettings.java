package troupe.api;

import com.typesafe.config.Config;
import troupe.core.config.ConfigReader;
import troupe.events.SampleChooser;

/**
 * The {@code troupe.learner-events} block: how the event hub buffers for its subscribers, and the
 * sample responses each event carries.
 *
 * @param ringSize events kept for replay to new subscribers
 * @param subscriberBuffer events buffered per subscriber before the oldest are dropped
 * @param samples sample-responses and sample-text-chars
 */
public record LearnerEventSettings(int ringSize, int subscriberBuffer, SampleChooser.Settings samples) {

    public static LearnerEventSettings fromConfig(Config config) {
        ConfigReader r = ConfigReader.at(config, "troupe.learner-events");
        return new LearnerEventSettings(r.intIn("ring-size", 1, 1_000_000), r.intIn("subscriber-buffer", 1, 1_000_000),
                new SampleChooser.Settings(r.intIn("sample-responses", 0, 64), r.intIn("sample-text-chars", 16, 100_000)));
    }
}
