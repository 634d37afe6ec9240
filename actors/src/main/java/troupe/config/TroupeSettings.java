package troupe.config;

import com.typesafe.config.Config;
import troupe.api.LearnerEventSettings;
import troupe.api.grpc.GrpcSettings;
import troupe.api.http.HttpSettings;
import troupe.api.remote.RemoteScorerSettings;
import troupe.cluster.bulk.BulkSettings;
import troupe.core.config.SettingsException;
import troupe.core.health.HealthSettings;
import troupe.core.rl.LearnerAlgorithm;
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
 * @param grpc the {@code troupe.grpc} block
 * @param http the {@code troupe.http} block
 * @param learnerEvents the {@code troupe.learner-events} block
 * @param remoteScorer the {@code troupe.remote-scorer} block
 * @param algorithm {@code troupe.learner.algorithm} and the settings only that algorithm reads
 * @param bulk the {@code troupe.bulk} block (read by cluster nodes; checked with the rest)
 * @param health the {@code troupe.health} block (health alerts)
 */
public record TroupeSettings(
        RunSettings run,
        PipelineSettings pipeline,
        CheckpointSettings checkpoint,
        LearnerSettings learner,
        SamplingSettings sampling,
        GrpcSettings grpc,
        HttpSettings http,
        LearnerEventSettings learnerEvents,
        RemoteScorerSettings remoteScorer,
        LearnerAlgorithm algorithm,
        BulkSettings bulk,
        HealthSettings health) {

    public static TroupeSettings fromConfig(Config config) {
        RunSettings run = RunSettings.fromConfig(config);
        PipelineSettings pipeline = PipelineSettings.fromConfig(config);
        LearnerAlgorithm algorithm = LearnerAlgorithm.fromConfig(config);
        if (pipeline.groupSize() < algorithm.minGroupSize()) {
            throw SettingsException.because("troupe.pipeline.group-size", algorithm.name()
                    + " compares samples of one prompt, so it needs at least " + algorithm.minGroupSize() + ", got "
                    + pipeline.groupSize());
        }
        return new TroupeSettings(
                run,
                pipeline,
                CheckpointSettings.fromConfig(config),
                LearnerSettings.fromConfig(config, run.steps()),
                SamplingSettings.fromConfig(config),
                GrpcSettings.fromConfig(config),
                HttpSettings.fromConfig(config),
                LearnerEventSettings.fromConfig(config),
                RemoteScorerSettings.fromConfig(config),
                algorithm,
                BulkSettings.fromConfig(config),
                HealthSettings.fromConfig(config));
    }
}
