package troupe.roles;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import troupe.proto.v1.RunMarker;

/**
 * What happened to the run between two steps, noted where the learner learns of it and carried by
 * the next step's event ({@code LearnerEvent.markers}) so the page can mark its curves. A marker
 * names the last step trained when it happened; it reaches readers with the next event, so a
 * pause is seen once the run resumes. Owned by the learner; not thread-safe.
 */
final class RunMarkers {
    static final String SCORER_JOINED = "scorer-joined";
    static final String SCORER_LEFT = "scorer-left";
    static final String WEIGHTING = "weighting-changed";
    static final String PAUSED = "paused";
    static final String RESUMED = "resumed";
    static final String CHECKPOINT = "checkpoint";
    static final String NODE_LOST = "node-lost";
    static final String NODE_BACK = "node-back";
    /** Far more than a step ever gathers; bounds the list if no step comes for a long time. */
    private static final int MAX_PENDING = 256;

    private final List<RunMarker> pending = new ArrayList<>();
    private Optional<Path> checkpoint;

    /** @param checkpoint the checkpoint the run starts from (a resumed run's), not marked */
    RunMarkers(Optional<Path> checkpoint) {
        this.checkpoint = checkpoint;
    }

    void note(String kind, long step, String detail) {
        if (pending.size() < MAX_PENDING) {
            pending.add(RunMarker.newBuilder().setKind(kind).setStep(step).setDetail(detail)
                    .setUnixMillis(System.currentTimeMillis()).build());
        }
    }

    /** Objectives the engine held before and after it was reconciled with the batch of {@code step}. */
    void objectives(Set<String> before, Set<String> after, long step) {
        after.stream().filter(o -> !before.contains(o)).sorted().forEach(o -> note(SCORER_JOINED, step, o));
        before.stream().filter(o -> !after.contains(o)).sorted().forEach(o -> note(SCORER_LEFT, step, o));
    }

    /**
     * The generators' listing changed after {@code step}: one that left is a lost node, one that
     * joins once the run has trained is a node back (at start every generator joins, unmarked).
     *
     * @return the generators that joined
     */
    <T> Set<T> generators(Set<T> before, Set<T> now, long step) {
        Set<T> left = new HashSet<>(before);
        left.removeAll(now);
        Set<T> joined = new HashSet<>(now);
        joined.removeAll(before);
        if (!left.isEmpty()) {
            note(NODE_LOST, step, left.size() + " generator(s) left, " + now.size() + " remain");
        }
        if (!joined.isEmpty() && step > 0) {
            note(NODE_BACK, step, joined.size() + " generator(s) joined, " + now.size() + " in all");
        }
        return joined;
    }

    /** The weighting strategy was replaced after {@code step}; {@code weights} are its starting weights. */
    void weighting(String strategy, Map<String, Double> weights, long step) {
        StringBuilder d = new StringBuilder(strategy);
        new TreeMap<>(weights).forEach((o, w) -> d.append(' ').append(o).append('=')
                .append(String.format(Locale.ROOT, "%.3f", w)));
        note(WEIGHTING, step, d.toString());
    }

    /** A role with no live node ({@code detail}), or every role back ({@code detail} empty). */
    void waiting(String detail, long step) {
        note(detail.isEmpty() ? NODE_BACK : NODE_LOST, step, detail.isEmpty() ? "every role has a live node" : detail);
    }

    /**
     * The markers since the last call, a checkpoint written meanwhile among them.
     *
     * @param lastCheckpoint the newest checkpoint folder now
     * @param step the last step trained (the only step a checkpoint between two steps can be of)
     */
    List<RunMarker> drain(Optional<Path> lastCheckpoint, long step) {
        if (lastCheckpoint.isPresent() && !lastCheckpoint.equals(checkpoint)) {
            note(CHECKPOINT, step, lastCheckpoint.get().getFileName().toString());
        }
        checkpoint = lastCheckpoint;
        List<RunMarker> out = List.copyOf(pending);
        pending.clear();
        return out;
    }
}
