package troupe.config;

import com.typesafe.config.Config;
import java.time.Duration;
import troupe.core.config.ConfigReader;

/**
 * The {@code troupe.pipeline} block: shape of a step, per-stage parallelism, buffers, the
 * on-policy bound and how the reward stage treats failing scorers.
 *
 * @param groupSize responses sampled per prompt (G)
 * @param promptsPerStep prompts per rollout batch; a batch has promptsPerStep × groupSize samples
 * @param maxPolicyLag learner version − batch version allowed; 0 = strictly on-policy
 * @param generatorParallelism batches the generator stage asks for at once
 * @param rewardParallelism batches scored at once
 * @param referenceParallelism batches the reference stage works on at once
 * @param bufferSize generated batches buffered before the reward stage
 * @param generateTimeout longest one batch may take to generate before it is counted lost
 * @param referenceTimeout longest the reference log-probs of one batch may take
 * @param scorerDeadline longest one scorer may take on one batch before it faults with DEADLINE
 * @param quarantineAfter consecutive faults after which a scorer is quarantined
 * @param quarantineProbeInterval batches between probes of a quarantined scorer
 * @param scorerQueue score requests a busy scorer host queues before answering UNAVAILABLE
 * @param weightBroadcastTimeout longest the learner waits for generators to load new weights
 * @param restartMinBackoff first delay before restarting a failed generator, reference or scorer
 * @param restartMaxBackoff cap of the exponential restart delay
 * @param metricsFile file name of the per-step metrics log inside the run folder
 * @param ledgerFile file name of the batch ledger (trained / stale / lost per batch id) in the run folder
 */
public record PipelineSettings(
        int groupSize,
        int promptsPerStep,
        int maxPolicyLag,
        int generatorParallelism,
        int rewardParallelism,
        int referenceParallelism,
        int bufferSize,
        Duration generateTimeout,
        Duration referenceTimeout,
        Duration scorerDeadline,
        int quarantineAfter,
        int quarantineProbeInterval,
        int scorerQueue,
        Duration weightBroadcastTimeout,
        Duration restartMinBackoff,
        Duration restartMaxBackoff,
        String metricsFile,
        String ledgerFile) {

    private static final long HOUR_MS = 3_600_000L;

    public static PipelineSettings fromConfig(Config config) {
        ConfigReader r = ConfigReader.at(config, "troupe.pipeline");
        Duration minBackoff = Duration.ofMillis(r.millisIn("restart-min-backoff", 1, HOUR_MS));
        Duration maxBackoff = Duration.ofMillis(r.millisIn("restart-max-backoff", 1, HOUR_MS));
        if (maxBackoff.compareTo(minBackoff) < 0) {
            throw new troupe.core.config.SettingsException(r.key("restart-max-backoff"),
                    "a duration >= restart-min-backoff (" + minBackoff.toMillis() + "ms)", maxBackoff.toMillis() + "ms");
        }
        return new PipelineSettings(
                r.intIn("group-size", 1, 4096),
                r.intIn("prompts-per-step", 1, 65_536),
                r.intIn("max-policy-lag", 0, 1000),
                r.intIn("generator-parallelism", 1, 1024),
                r.intIn("reward-parallelism", 1, 1024),
                r.intIn("reference-parallelism", 1, 1024),
                r.intIn("buffer-size", 0, 1024),
                Duration.ofMillis(r.millisIn("generate-timeout", 1, 24 * HOUR_MS)),
                Duration.ofMillis(r.millisIn("reference-timeout", 1, 24 * HOUR_MS)),
                Duration.ofMillis(r.millisIn("scorer-deadline", 1, 24 * HOUR_MS)),
                r.intIn("quarantine-after", 1, 1_000_000),
                r.intIn("quarantine-probe-interval", 1, 1_000_000),
                r.intIn("scorer-queue", 1, 1024),
                Duration.ofMillis(r.millisIn("weight-broadcast-timeout", 1, 24 * HOUR_MS)),
                minBackoff,
                maxBackoff,
                r.string("metrics-file"),
                r.string("ledger-file"));
    }

    /**
     * Upper bound on batches admitted but not yet settled (trained, dropped or lost): the
     * learner keeps at most {@code maxPolicyLag + 1} sampling permits outstanding. Stage
     * parallelism and buffers bound memory further but are not needed for this bound.
     */
    public int maxInFlight() {
        return maxPolicyLag + 1;
    }

    /** Samples in one rollout batch. */
    public int samplesPerBatch() {
        return promptsPerStep * groupSize;
    }
}
