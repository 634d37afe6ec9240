package troupe.config;

import com.typesafe.config.Config;

/**
 * Every typed settings record of a run, read from one merged config. Building it is the range
 * check of `troupe config check`: a value a record rejects names its key.
 *
 * @param run the {@code troupe.run} block
 */
public record TroupeSettings(RunSettings run) {

    public static TroupeSettings fromConfig(Config config) {
        return new TroupeSettings(RunSettings.fromConfig(config));
    }
}
