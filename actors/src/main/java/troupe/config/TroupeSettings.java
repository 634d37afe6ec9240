package troupe.config;

import com.typesafe.config.Config;

/**
 * Every typed settings record of a run, read from one merged config. Building it is the range
 * check of `troupe config check`: a value a record rejects names its key.
 *
 * @param run the {@code troupe.run} block
 * @param pipeline the {@code troupe.pipeline} block
 * @param checkpoint the {@code troupe.checkpoint} block
 */
public record TroupeSettings(RunSettings run, PipelineSettings pipeline, CheckpointSettings checkpoint) {

    public static TroupeSettings fromConfig(Config config) {
        return new TroupeSettings(
                RunSettings.fromConfig(config),
                PipelineSettings.fromConfig(config),
                CheckpointSettings.fromConfig(config));
    }
}
