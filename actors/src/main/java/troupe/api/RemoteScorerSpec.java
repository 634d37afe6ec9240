package troupe.api;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import troupe.core.reward.Direction;

/**
 * A validated {@code Control.AddRemoteScorer} request. Empty optionals mean "use what Describe
 * reports" (name, direction) or "use the configured default" (deadline, initial weight).
 *
 * @param name objective name override
 * @param target the RewardService server
 * @param direction direction override
 * @param deadline per-call deadline, 1 ms .. 10 min
 * @param initialWeight the new objective's initial share of the weight simplex, in [0, 1)
 */
public record RemoteScorerSpec(
        Optional<String> name,
        HostPort target,
        Optional<Direction> direction,
        Optional<Duration> deadline,
        OptionalDouble initialWeight) {

    public RemoteScorerSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(initialWeight, "initialWeight");
    }

    /** Only a target: name and direction from Describe, configured deadline and weight. */
    public static RemoteScorerSpec of(HostPort target) {
        return new RemoteScorerSpec(Optional.empty(), target, Optional.empty(), Optional.empty(), OptionalDouble.empty());
    }
}
