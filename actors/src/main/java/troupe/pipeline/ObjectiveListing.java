package troupe.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import troupe.api.LearnerEventHub;
import troupe.api.ObjectiveInfo;
import troupe.api.ScorerState;
import troupe.core.reward.Direction;
import troupe.core.reward.Objective;
import troupe.core.reward.RewardScorer;
import troupe.proto.v1.ObjectiveStats;

/**
 * ListObjectives' view of a run: the reward stage's live scorers, each with the direction and
 * source known where it was added, and the weight the latest learner event reports for it.
 */
final class ObjectiveListing {
    private record Known(Objective objective, String source) {}

    private final LearnerEventHub hub;
    private final Map<String, Known> known = new ConcurrentHashMap<>();

    ObjectiveListing(LearnerEventHub hub, List<RewardScorer> scorers) {
        this.hub = hub;
        scorers.forEach(s -> remember(s.objective(), "local:" + className(s)));
    }

    void remember(Objective objective, String source) {
        known.put(objective.name(), new Known(objective, source));
    }

    /** A scorer just added: no batch has its column yet. */
    ObjectiveInfo joining(Objective objective, String source) {
        return new ObjectiveInfo(objective, 0, ScorerState.JOINING, source, 0, "");
    }

    List<ObjectiveInfo> list(List<RewardCoordinator.ScorerInfo> scorers) {
        Map<String, ObjectiveStats> latest = hub.latest()
                .map(e -> e.getObjectivesList().stream()
                        .collect(Collectors.toMap(ObjectiveStats::getName, Function.identity(), (a, b) -> b)))
                .orElse(Map.of());
        List<ObjectiveInfo> out = new ArrayList<>();
        for (RewardCoordinator.ScorerInfo s : scorers) {
            // Hosts not yet described have no objective (a placeholder name); duplicates do not score.
            if (s.state() == RewardCoordinator.State.DUPLICATE || !isObjectiveName(s.objective())) {
                continue;
            }
            ObjectiveStats stats = latest.get(s.objective());
            Known k = known.get(s.objective());
            Objective objective = k != null ? k.objective() : new Objective(s.objective(),
                    stats != null && stats.getDirection() == troupe.proto.v1.Direction.MINIMIZE
                            ? Direction.MINIMIZE : Direction.MAXIMIZE);
            out.add(new ObjectiveInfo(objective, stats == null ? 0 : stats.getWeight(), state(s, stats),
                    k != null ? k.source() : "local", s.faults(), s.lastFault()));
        }
        return out;
    }

    private static ScorerState state(RewardCoordinator.ScorerInfo s, ObjectiveStats stats) {
        return switch (s.state()) {
            case QUARANTINED -> ScorerState.QUARANTINED;
            // Described but not in a trained step yet: it enters the weighting with a coming batch.
            case ACTIVE -> stats == null ? ScorerState.JOINING : ScorerState.ACTIVE;
            default -> ScorerState.JOINING;
        };
    }

    private static boolean isObjectiveName(String name) {
        try {
            new Objective(name, Direction.MAXIMIZE);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String className(Object o) {
        String simple = o.getClass().getSimpleName();
        return simple.isEmpty() ? o.getClass().getName() : simple;
    }
}
