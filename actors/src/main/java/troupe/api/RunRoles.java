package troupe.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import troupe.proto.v1.RoleReadiness;

/**
 * Which roles a run needs and which have a live node, as the learner's role watch sees them:
 * carried by {@code Control.Status} and by every LearnerEvent ({@code roles}).
 *
 * @param needed roles every step needs, in pipeline order ("generator", "reward", "reference")
 * @param nodes role → addresses of the nodes hosting a live actor of it, in {@code needed} order
 * @param waitingFor needed roles without a live node for longer than the grace; the learner
 *     admits no batch while this is not empty
 */
public record RunRoles(List<String> needed, Map<String, List<String>> nodes, List<String> waitingFor) {

    /** The roles every step of a run needs (the learner, hosting the run, is not listed). */
    public static final List<String> NEEDED = List.of("generator", "reward", "reference");

    /** Before the first listing: nothing is present, nothing is waited for yet. */
    public static final RunRoles UNKNOWN = new RunRoles(NEEDED, Map.of(), List.of());

    public RunRoles {
        needed = List.copyOf(needed);
        Map<String, List<String>> copy = new LinkedHashMap<>();
        nodes.forEach((role, at) -> copy.put(role, List.copyOf(at)));
        nodes = java.util.Collections.unmodifiableMap(copy);
        waitingFor = List.copyOf(waitingFor);
    }

    /** Needed roles with at least one live node, in {@code needed} order. */
    public List<String> present() {
        List<String> out = new ArrayList<>();
        for (String role : needed) {
            if (!nodes.getOrDefault(role, List.of()).isEmpty()) {
                out.add(role);
            }
        }
        return out;
    }

    /** One line for logs and the CLI, e.g. "present: generator, reward; waiting for: reference". */
    public String describe() {
        List<String> present = present();
        return "present: " + (present.isEmpty() ? "none" : String.join(", ", present)) + "; waiting for: "
                + (waitingFor.isEmpty() ? "nothing" : String.join(", ", waitingFor));
    }

    public RoleReadiness toProto() {
        RoleReadiness.Builder b = RoleReadiness.newBuilder().addAllNeeded(needed).addAllPresent(present())
                .addAllWaitingFor(waitingFor);
        nodes.forEach((role, at) -> b.putNodes(role, at.size()));
        return b.build();
    }
}
