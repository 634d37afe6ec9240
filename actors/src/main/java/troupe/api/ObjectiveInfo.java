package troupe.api;

import java.util.Objects;
import troupe.core.reward.Objective;

/**
 * One objective as {@code Control.ListObjectives} shows it.
 *
 * @param objective name, direction and description
 * @param weight current weight in [0, 1]
 * @param state where its scorer stands
 * @param source "local:&lt;class&gt;", "remote:&lt;host:port&gt;" or "node:&lt;cluster address&gt;"
 * @param faults faults seen since the scorer joined
 * @param lastFault the last fault's detail; empty when none
 */
public record ObjectiveInfo(
        Objective objective, double weight, ScorerState state, String source, long faults, String lastFault) {

    public ObjectiveInfo {
        Objects.requireNonNull(objective, "objective");
        Objects.requireNonNull(state, "state");
        source = source == null ? "" : source;
        lastFault = lastFault == null ? "" : lastFault;
    }
}
