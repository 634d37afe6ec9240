package troupe.config;

import com.typesafe.config.Config;
import troupe.core.rl.LearnerSettings;

/**
 * Every typed settings record of a run, read from one merged config. Building it is the range
 * check of `troupe config check`: a value a record rejects names its key.
 *
 * @param run the {@code troupe.run} block
 * @param learner the {@code troupe.learner} block
 */
public record TroupeSettings(RunSettings run, LearnerSettings learner) {

    public static TroupeSettings fromConfig(Config config) {
        RunSettings run = RunSettings.fromConfig(config);
        return new TroupeSettings(run, LearnerSettings.fromConfig(config, run.steps()));
    }
}
