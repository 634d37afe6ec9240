package troupe.roles;

import org.apache.pekko.actor.typed.ActorRef;

/**
 * The learner's sampling permits, read by the pipeline's admission source: at most
 * {@code maxPolicyLag + 1} outstanding, none before the generators hold the initial weights, none
 * while paused or while a role has no live node (waiting), never more than the run's remaining steps, and closed once the run is done (or
 * stopping) and every trained step's event is out. Owned by the {@link Learner}; not thread-safe.
 */
final class PermitGate {
    private final ActorRef<Learner.Permit> permits;
    private final int maxInFlight;
    private final long totalSteps;
    private int outstanding;
    private boolean synced;
    private boolean paused;
    private boolean stopping;
    private boolean closed;
    /** Why the run waits for a role; empty = every role has a live node. */
    private String waiting = "";

    PermitGate(ActorRef<Learner.Permit> permits, int maxPolicyLag, long totalSteps) {
        this.permits = permits;
        this.maxInFlight = maxPolicyLag + 1;
        this.totalSteps = totalSteps;
    }

    /** A batch admitted by a permit was trained, dropped or lost. */
    void settled() {
        outstanding--;
    }

    /** The generators hold the initial weights: permits may flow. */
    void markSynced() {
        synced = true;
    }

    boolean isSynced() {
        return synced;
    }

    /** Stops granting; true when this paused a running gate (not already paused or stopping). */
    boolean pause() {
        boolean changed = !paused && !stopping;
        paused = true;
        return changed;
    }

    /** Grants again after a pause; true when this resumed a paused gate that is not stopping. */
    boolean resume() {
        boolean changed = paused && !stopping;
        paused = false;
        return changed;
    }

    /** Closes once the trained steps' events are out; true when the gate was not already stopping. */
    boolean stop() {
        boolean changed = !stopping;
        stopping = true;
        return changed;
    }

    /** @param detail what the run waits for, e.g. "no reward scorer in the cluster"; empty = nothing */
    void waitFor(String detail) {
        waiting = detail;
    }

    String waiting() {
        return waiting;
    }

    boolean paused() {
        return paused;
    }

    boolean stopping() {
        return stopping;
    }

    int outstanding() {
        return outstanding;
    }

    Learner.Phase phase() {
        return stopping ? Learner.Phase.STOPPING : !synced ? Learner.Phase.STARTING
                : paused ? Learner.Phase.PAUSED : !waiting.isEmpty() ? Learner.Phase.WAITING : Learner.Phase.RUNNING;
    }

    /**
     * Grants what may be granted after {@code step} trained steps.
     *
     * @param eventsPending trained steps still wait for their events; closing waits for them
     */
    void grant(long step, long policyVersion, boolean eventsPending) {
        if (closed || !synced) {
            return;
        }
        boolean done = stopping || step >= totalSteps;
        while (!done && !paused && waiting.isEmpty() && outstanding < maxInFlight && step + outstanding < totalSteps) {
            outstanding++;
            permits.tell(new Learner.PermitGranted(policyVersion));
        }
        // Batches still on the way after closing are dropped by the learner.
        if (done && !eventsPending) {
            closed = true;
            permits.tell(new Learner.PermitsClosed());
        }
    }
}
