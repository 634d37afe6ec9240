package troupe.pipeline;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import troupe.cluster.serialization.TroupeMessage;

/**
 * The learner's word to the role nodes that the run has ended, so each can exit or wait for the
 * next run as its {@code troupe.node.after-run} says. Only the learner knows: a role node sees
 * the learner's node leave alike when the run ended, when it was SIGTERM'd to be resumed, and
 * (downed) when it crashed. The notice is sent only for a run that ended by itself or by
 * {@code control stop} — not when coordinated shutdown stopped the learner (SIGTERM, downing),
 * nor when the learner failed: those runs are to be resumed and their role nodes must stay.
 */
public final class RunEndNotice {
    /** Sent to every role node's guardian registered under {@link #KEY}. */
    public record RunEnded(String runId, long steps) implements TroupeMessage {}

    public static final ServiceKey<RunEnded> KEY = ServiceKey.create(RunEnded.class, "troupe-run-end");

    /** A Find of the local Receptionist replica answers at once; this only bounds a system going down. */
    private static final Duration FIND_TIMEOUT = Duration.ofSeconds(3);

    private RunEndNotice() {}

    /**
     * Tells every registered role node that run {@code runId} ended after {@code steps} steps,
     * unless coordinated shutdown has begun. Completes with the number of nodes told (0 on a
     * failure: the nodes then simply wait, as for a lost learner); never fails.
     */
    static CompletionStage<Integer> announce(ActorSystem<?> system, String runId, long steps) {
        if (CoordinatedShutdown.get(system).getShutdownReason().isPresent()) {
            return CompletableFuture.completedFuture(0);
        }
        RunEnded notice = new RunEnded(runId, steps);
        return AskPattern.<Receptionist.Command, Receptionist.Listing>ask(system.receptionist(),
                        r -> Receptionist.find(KEY, r), FIND_TIMEOUT, system.scheduler())
                .thenApply(listing -> {
                    var nodes = listing.getServiceInstances(KEY);
                    nodes.forEach(node -> node.tell(notice));
                    if (!nodes.isEmpty()) {
                        system.log().info("run {} ended: told {} role nodes", runId, nodes.size());
                    }
                    return nodes.size();
                })
                .exceptionally(err -> 0);
    }
}
