package troupe.core.rollout;

/**
 * A scorer that failed on a batch; its objective has no column in that batch.
 *
 * @param objective the scorer's objective name
 * @param kind what went wrong
 * @param detail human-readable detail (exception message, counts seen)
 */
public record ScorerFault(String objective, Kind kind, String detail) {

    /** Every way a scorer can fail a batch. */
    public enum Kind {
        EXCEPTION,
        WRONG_COUNT,
        NON_FINITE,
        DEADLINE,
        UNAVAILABLE
    }
}
