package troupe.core.engine;

import java.util.Optional;

/**
 * The weights a generator replica holds, and the rules for replacing them — the same whichever
 * way an update arrives (whole, in chunks, or fetched over the bulk channel).
 *
 * <p>Versions only grow within one learner incarnation: an update replaces the loaded weights
 * when it is newer. A learner restarted with {@code --resume} starts its versions over from its
 * checkpoint, which may be older than what the replica holds; its updates carry another
 * incarnation and are loaded whatever their version, so the replicas follow the new learner back
 * in time. The loaded version lives in the engine, so a restarted generator actor keeps it; the
 * incarnation does not (it starts unknown, {@link #SAME_INCARNATION}). Not thread-safe: one actor
 * owns it.
 */
public final class ReplicaWeights {

    /** An incarnation that stands for "the learner whose weights are loaded": the version rule alone applies. */
    public static final long SAME_INCARNATION = 0;

    /** What became of an update. */
    public sealed interface Outcome {
        /** The version the outcome is about. */
        long version();
    }

    /**
     * The replica holds {@code version} (or a newer one).
     *
     * @param replaced the version held before, when this update came from another learner
     *     incarnation than a known earlier one (worth a log line); empty otherwise
     */
    public record Held(long version, Optional<Long> replaced) implements Outcome {}

    /**
     * The update was not loaded; the replica keeps {@code loadedVersion}.
     *
     * @param cause the engine's failure to load it; empty for a checksum mismatch
     */
    public record Refused(long version, long loadedVersion, String reason, Optional<RuntimeException> cause)
            implements Outcome {}

    private final RolloutEngine engine;
    /** Incarnation of the learner whose weights are loaded; unknown after a restart of the owner. */
    private long loadedIncarnation = SAME_INCARNATION;
    /** Newest version of any complete update handled, loaded or not: a request for it waits no longer. */
    private long newestOffered = -1;

    public ReplicaWeights(RolloutEngine engine) {
        this.engine = engine;
    }

    /** The loaded version. */
    public long version() {
        return engine.policyVersion();
    }

    /**
     * Whether a request that needs {@code minVersion} may be sampled now: that version is loaded,
     * or an update of it was handled and failed (then waiting longer would not help).
     */
    public boolean ready(long minVersion) {
        return engine.policyVersion() >= minVersion || newestOffered >= minVersion;
    }

    /** Whether weights of {@code version} from learner {@code incarnation} would replace the loaded ones. */
    public boolean replaces(long version, long incarnation) {
        return otherLearner(incarnation) || version > engine.policyVersion();
    }

    /** Loads a complete update if it replaces the loaded one and is intact; the engine keeps its weights otherwise. */
    public Outcome apply(WeightUpdate update, long incarnation) {
        boolean otherLearner = otherLearner(incarnation);
        // A new learner incarnation starts its versions over (from its checkpoint): forget the old offers.
        newestOffered = otherLearner ? update.version() : Math.max(newestOffered, update.version());
        long loaded = engine.policyVersion();
        if (!replaces(update.version(), incarnation)) {
            return new Held(loaded, Optional.empty());
        }
        if (!update.intact()) {
            return new Refused(update.version(), loaded, "checksum mismatch", Optional.empty());
        }
        try {
            engine.applyWeights(update);
        } catch (RuntimeException e) {
            return new Refused(update.version(), engine.policyVersion(), describe(e), Optional.of(e));
        }
        Optional<Long> replaced = Optional.empty();
        if (otherLearner) {
            if (loadedIncarnation != SAME_INCARNATION) {
                replaced = Optional.of(loaded);
            }
            loadedIncarnation = incarnation;
        }
        return new Held(engine.policyVersion(), replaced);
    }

    private boolean otherLearner(long incarnation) {
        return incarnation != SAME_INCARNATION && incarnation != loadedIncarnation;
    }

    /** A failure as one line: its type and message. */
    public static String describe(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
