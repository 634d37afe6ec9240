package troupe.api;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of a run for {@code Control.Status}.
 *
 * @param runId the run's id
 * @param state lifecycle state
 * @param step steps completed
 * @param totalSteps steps planned; 0 = unbounded
 * @param policyVersion version of the learner's weights
 * @param roles role name ("generator", "reward", "reference", "learner") → live node addresses,
 *     in display order; "local" in embedded mode
 * @param weightingStrategy strategy in force
 * @param lastCheckpoint directory of the last checkpoint; empty before the first
 * @param uptime since the run started
 * @param detail human-readable reason for WAITING or FAILED; empty otherwise
 * @param readiness roles the run needs, those present and those waited for
 */
public record RunStatus(
        String runId,
        RunState state,
        long step,
        long totalSteps,
        long policyVersion,
        Map<String, List<String>> roles,
        String weightingStrategy,
        String lastCheckpoint,
        Duration uptime,
        String detail,
        RunRoles readiness) {

    /** A status that says nothing about roles (a run that has ended). */
    public RunStatus(String runId, RunState state, long step, long totalSteps, long policyVersion,
            Map<String, List<String>> roles, String weightingStrategy, String lastCheckpoint, Duration uptime,
            String detail) {
        this(runId, state, step, totalSteps, policyVersion, roles, weightingStrategy, lastCheckpoint, uptime, detail,
                RunRoles.UNKNOWN);
    }

    public RunStatus {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(uptime, "uptime");
        // LinkedHashMap keeps the caller's role order for listings; values copied so the snapshot stays one.
        Map<String, List<String>> copy = new LinkedHashMap<>();
        roles.forEach((role, nodes) -> copy.put(role, List.copyOf(nodes)));
        roles = java.util.Collections.unmodifiableMap(copy);
        weightingStrategy = weightingStrategy == null ? "" : weightingStrategy;
        lastCheckpoint = lastCheckpoint == null ? "" : lastCheckpoint;
        detail = detail == null ? "" : detail;
        readiness = readiness == null ? RunRoles.UNKNOWN : readiness;
    }
}
