package troupe.api.remote;

import com.typesafe.config.Config;
import java.time.Duration;
import troupe.core.config.ConfigReader;

/**
 * The {@code troupe.remote-scorer} block: how Troupe calls RewardService servers.
 *
 * @param deadline per Score call, unless AddRemoteScorer sets one
 * @param describeDeadline for the Describe call made when the scorer is added
 * @param maxAttempts Score/Describe attempts per batch chunk on UNAVAILABLE or DEADLINE_EXCEEDED, &gt;= 1
 * @param initialBackoff wait before the second attempt; doubles per attempt
 * @param maxBackoff cap of the wait between attempts
 * @param initialWeight share of the weight simplex a newly added objective starts with, unless
 *     AddRemoteScorer sets one; 0 = the learner's new-objective-share
 */
public record RemoteScorerSettings(
        Duration deadline,
        Duration describeDeadline,
        int maxAttempts,
        Duration initialBackoff,
        Duration maxBackoff,
        double initialWeight) {

    public static RemoteScorerSettings fromConfig(Config config) {
        ConfigReader r = ConfigReader.at(config, "troupe.remote-scorer");
        return new RemoteScorerSettings(
                Duration.ofMillis(r.millisIn("deadline", 1, 600_000)),
                Duration.ofMillis(r.millisIn("describe-deadline", 1, 600_000)),
                r.intIn("max-attempts", 1, 100),
                Duration.ofMillis(r.millisIn("initial-backoff", 0, 600_000)),
                Duration.ofMillis(r.millisIn("max-backoff", 0, 600_000)),
                r.doubleIn("initial-weight", 0.0, 0.99));
    }

    public RemoteScorerSettings withDeadline(Duration d) {
        return new RemoteScorerSettings(d, describeDeadline, maxAttempts, initialBackoff, maxBackoff, initialWeight);
    }

    /** Wait before attempt {@code attempt} (2-based): initial·2^(attempt−2), capped. */
    Duration backoffBefore(int attempt) {
        long millis = initialBackoff.toMillis() << Math.min(30, Math.max(0, attempt - 2));
        return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }
}
