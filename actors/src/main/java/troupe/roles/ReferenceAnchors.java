package troupe.roles;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.slf4j.Logger;
import troupe.cluster.bulk.BulkChannel;
import troupe.core.engine.LearnerEngine;
import troupe.core.engine.WeightUpdate;

/**
 * The learner's side of a reference that moves (APO, ALGORITHMS.md §10): after a step (or a
 * restore) whose engine hands over new reference weights ({@link LearnerEngine#takeReferenceUpdate}),
 * every reference-KL actor gets them, like a weight sync. The learner calls {@link #afterStep}
 * before it grants the next permit: a reference in this JVM then has the
 * {@link ReferenceKl.LoadReference} in its mailbox ahead of any batch sampled with the new
 * weights. One on another node gets a {@link ReferenceKl.FetchReference} handle on this node's
 * bulk channel and holds batches until the weights are in; Artery keeps one sender node's
 * messages to a node in order, which is what orders it before those batches. A reference that
 * joins later (a restarted node) gets the latest anchor when the listing shows it.
 *
 * <p>A child actor follows the receptionist's listing; the set it keeps is read from the
 * learner's thread (actor refs are safe to share).
 */
final class ReferenceAnchors {
    private final Set<ActorRef<ReferenceKl.Command>> references = ConcurrentHashMap.newKeySet();
    private final AtomicReference<WeightUpdate> latest = new AtomicReference<>();
    private final BulkChannel bulk;
    private final LearnerEngine engine;
    private final Logger log;

    /** Follows the listing, and sends what a restored engine hands over (its saved anchor). */
    ReferenceAnchors(ActorContext<?> ctx, LearnerEngine engine) {
        this.bulk = BulkChannel.get(ctx.getSystem());
        this.engine = engine;
        this.log = ctx.getLog();
        ctx.spawn(follow(), "reference-anchors");
        afterStep();
    }

    /** Sends the engine's new reference weights, if the last step (or restore) made any. */
    void afterStep() {
        engine.takeReferenceUpdate().ifPresent(u -> {
            latest.set(u);
            if (references.isEmpty()) {
                log.warn("reference weights version {} wait for a reference actor to register", u.version());
            }
            references.forEach(r -> send(r, u));
            log.info("reference weights version {} sent to {} reference actor(s)", u.version(), references.size());
        });
    }

    private void send(ActorRef<ReferenceKl.Command> target, WeightUpdate u) {
        if (bulk.offersTo(target)) {
            target.tell(new ReferenceKl.FetchReference(u.version(), u.checksum(), bulk.offer(u)));
        } else {
            target.tell(new ReferenceKl.LoadReference(u));
        }
    }

    private Behavior<Receptionist.Listing> follow() {
        return Behaviors.setup(c -> {
            c.getSystem().receptionist().tell(Receptionist.subscribe(ReferenceKl.KEY, c.getSelf()));
            return Behaviors.receiveMessage(listing -> {
                Set<ActorRef<ReferenceKl.Command>> now = listing.getServiceInstances(ReferenceKl.KEY);
                Set<ActorRef<ReferenceKl.Command>> joined = new HashSet<>(now);
                joined.removeAll(references);
                references.retainAll(now);
                references.addAll(now);
                WeightUpdate u = latest.get();
                if (u != null) {
                    joined.forEach(r -> send(r, u));
                }
                return Behaviors.same();
            });
        });
    }
}
