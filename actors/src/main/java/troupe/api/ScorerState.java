package troupe.api;

/** Where a scorer stands in the reward stage (mirrors {@code troupe.v1.ScorerState}). */
public enum ScorerState {
    /** Scored the last batch. */
    ACTIVE,
    /** Failed repeatedly; skipped until it recovers or is removed. */
    QUARANTINED,
    /** Registered; enters the reward vector with the next batch. */
    JOINING
}
