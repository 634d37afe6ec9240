package troupe.pipeline;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import troupe.roles.Learner;

/**
 * The learner's last checkpoint on coordinated shutdown — SIGTERM (a Kubernetes pod being
 * deleted or rolled) or the node downed, not {@link Run#close()}: in the first phase,
 * {@value #PHASE}, before the node unbinds its services or leaves the cluster, the learner is
 * stopped (no further step is trained) and writes a checkpoint of its last completed step, or
 * names the one that step already has. {@code troupe node --role learner --resume <run folder>}
 * then continues from it. The phase's timeout
 * ({@code pekko.coordinated-shutdown.phases.before-service-unbind.timeout}) bounds the step in
 * training plus the write; the pod's termination grace period must cover it plus leaving the
 * cluster. A write cut short (SIGKILL after the grace) leaves only a temporary folder without a
 * manifest, which {@code --resume} ignores, so the previous checkpoint stays the newest loadable
 * one ({@code CrashConsistencyTest} kills a write at 24 points).
 */
final class ShutdownCheckpoint {
    static final String PHASE = CoordinatedShutdown.PhaseBeforeServiceUnbind();
    private static final Logger LOG = LoggerFactory.getLogger(ShutdownCheckpoint.class);

    private ShutdownCheckpoint() {}

    /**
     * @param finished completes when the run has ended; after that there is nothing to do (the
     *     learner wrote its final checkpoint itself), and a learner that finishes meanwhile ends the task
     */
    static void register(ActorSystem<?> system, ActorRef<Learner.Command> learner, CompletableFuture<?> finished) {
        CoordinatedShutdown cs = CoordinatedShutdown.get(system);
        // Asks answer well within the phase, so the task reports its own outcome rather than the phase timing out.
        Duration timeout = Duration.ofMillis(cs.timeout(PHASE).toMillis()).multipliedBy(9).dividedBy(10);
        cs.addTask(PHASE, "troupe-learner-checkpoint", () -> finished.isDone()
                        // ActorSystem.terminate: Run.close() ends a run without its final checkpoint
                        || cs.getShutdownReason().filter(CoordinatedShutdown.actorSystemTerminateReason()::equals)
                                .isPresent()
                ? CompletableFuture.completedFuture(Done.getInstance())
                : checkpoint(system, learner, timeout, finished));
    }

    private static CompletionStage<Done> checkpoint(ActorSystem<?> system, ActorRef<Learner.Command> learner,
            Duration timeout, CompletableFuture<?> finished) {
        Logger log = LOG;
        log.info("coordinated shutdown: stopping the learner and writing a checkpoint of its last step");
        CompletableFuture<Done> written = AskPattern.<Learner.Command, Learner.Steered>ask(learner,
                        r -> new Learner.Stop(true, r), timeout, system.scheduler())
                .thenCompose(stopped -> AskPattern.<Learner.Command, Learner.CheckpointReply>ask(learner,
                        Learner.WriteCheckpoint::new, timeout, system.scheduler()))
                .handle((reply, err) -> {
                    if (reply instanceof Learner.CheckpointWritten ok) {
                        log.info("shutdown checkpoint of step {}: {}", ok.step(), ok.path());
                    } else if (reply instanceof Learner.CheckpointFailed no) {
                        log.error("shutdown checkpoint failed: {}", no.reason());
                    } else if (!finished.isDone()) {
                        log.error("shutdown checkpoint not confirmed within {} s: {}", timeout.toSeconds(),
                                String.valueOf(err));
                    }
                    return Done.getInstance();
                })
                .toCompletableFuture();
        // A learner that finishes meanwhile (its final checkpoint included) stops answering.
        return written.applyToEither(finished.handle((r, e) -> Done.getInstance()), d -> d);
    }
}
