package troupe.config;

import com.typesafe.config.Config;
import troupe.core.rl.LearnerSettings;

/**
 * Every typed settings record of a run, read from one merged config. Building it is the range
 * check of `troupe config check`: a value a record rejects names its key.
 *
 * @param run the {@code troupe.run} block
 * @param pipeline the {@code troupe.pipeline} block
 * @param checkpoint the {@code troupe.checkpoint} block
 * @param learner the {@code troupe.learner} block
 * @param sampling the {@code troupe.sampling} block
 */
public record TroupeSettings(RunSettings run, PipelineSettings pipeline, CheckpointSettings checkpoint,
        LearnerSettings learner, SamplingSettings sampling) {

    public static TroupeSettings fromConfig(Config config) {
        RunSettings run = RunSettings.fromConfig(config);
        return new TroupeSettings(
                run,
                PipelineSettings.fromConfig(config),
                CheckpointSettings.fromConfig(config),
                LearnerSettings.fromConfig(config, run.steps()),
                SamplingSettings.fromConfig(config));
    }
}
