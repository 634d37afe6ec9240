package troupe.api;

/** Lifecycle of a run, as {@code Control.Status} reports it (mirrors {@code troupe.v1.RunState}). */
public enum RunState {
    /** Building the topology, loading models. */
    STARTING,
    RUNNING,
    /** No new batches are sampled; in-flight ones finish. */
    PAUSED,
    /** Coordinated shutdown in progress. */
    STOPPING,
    STOPPED,
    /** A role has no live node; the step loop waits for one to (re)join. */
    WAITING,
    FAILED
}
