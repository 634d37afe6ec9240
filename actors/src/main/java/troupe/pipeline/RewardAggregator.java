package troupe.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import troupe.core.reward.Objective;
import troupe.core.reward.SafeScoring;
import troupe.core.reward.ScorerFault;
import troupe.core.reward.ScoringOutcome;
import troupe.core.rollout.RolloutBatch;
import troupe.roles.RewardScorerHost;

/**
 * Short-lived child of the {@link RewardCoordinator}: asks every target scorer to score one
 * batch, each with its own deadline, and once all have answered or timed out attaches the reward
 * vector to the batch itself — columns of the valid answers in objective-name order (so the
 * vector's layout does not depend on join order), then the faults — and reports the scored batch
 * with one {@link Outcome} per target (the coordinator's quarantine bookkeeping reads those).
 * A scorer that is slow costs at most one deadline; the others are not held up beyond it. A scorer whose node is lost fails at once instead: the Receptionist drops an
 * unreachable node's hosts from the listing within the failure detector's pause (seconds), and a
 * target that leaves the listing is settled UNAVAILABLE without waiting out the deadline.
 */
final class RewardAggregator extends AbstractBehavior<RewardAggregator.Command> {

    sealed interface Command {}

    private record Answered(int index, RewardScorerHost.ScoreReply reply, Throwable error, long nanos)
            implements Command {}

    /** A target's host stopped (its scorer was removed, or its node left) before it answered. */
    private record HostStopped(int index) implements Command {}

    /** The scorer listing changed: a target missing from it has lost its node (or was deregistered). */
    private record ListingChanged(Receptionist.Listing listing) implements Command {}

    record Target(ActorRef<RewardScorerHost.Command> host, Objective objective) {}

    /**
     * @param result the target's checked column or its fault (the type the in-process runner gives too)
     * @param left the fault is that the host stopped or its node left the cluster, so it has no
     *     objective in the run any more
     */
    record Outcome(Target target, ScoringOutcome result, boolean left) {}

    /** @param scored the batch with its reward columns and faults; no column of a target that left */
    record Done(long batchId, List<Outcome> outcomes, RolloutBatch scored) {}

    private final RolloutBatch batch;
    private final List<ScorerFault> skipped;
    private final int expected;
    private final List<Target> targets;
    private final Outcome[] outcomes;
    private final long startNanos = System.nanoTime();
    private final Duration deadline;
    private final ActorRef<Done> replyTo;
    private int waiting;

    private RewardAggregator(ActorContext<Command> ctx, RolloutBatch batch, List<ScorerFault> skipped,
            List<Target> targets, Duration deadline, ActorRef<Done> replyTo) {
        super(ctx);
        this.batch = batch;
        this.skipped = List.copyOf(skipped);
        this.expected = batch.size();
        this.targets = targets;
        this.outcomes = new Outcome[targets.size()];
        this.deadline = deadline;
        this.replyTo = replyTo;
        this.waiting = targets.size();
    }

    /** @param skipped faults of scorers not asked (quarantined), listed before this batch's faults */
    static Behavior<Command> create(RolloutBatch batch, List<ScorerFault> skipped, List<Target> targets,
            Duration deadline, ActorRef<Done> replyTo) {
        return Behaviors.setup(ctx -> {
            long batchId = batch.batchId();
            var inputs = batch.scoreInputs();
            if (targets.isEmpty()) {
                replyTo.tell(new Done(batchId, List.of(), batch.withRewards(List.of(), skipped)));
                return Behaviors.stopped();
            }
            for (int i = 0; i < targets.size(); i++) {
                int index = i;
                ctx.ask(RewardScorerHost.ScoreReply.class, targets.get(i).host(), deadline,
                        ref -> new RewardScorerHost.Score(batchId, inputs, ref),
                        (reply, error) -> new Answered(index, reply, error, System.nanoTime()));
                // A stopped host never answers: without this the batch would wait out the deadline.
                ctx.watchWith(targets.get(i).host(), new HostStopped(index));
            }
            ctx.getSystem().receptionist().tell(Receptionist.subscribe(RewardScorerHost.KEY,
                    ctx.messageAdapter(Receptionist.Listing.class, ListingChanged::new)));
            return new RewardAggregator(ctx, batch, skipped, List.copyOf(targets), deadline, replyTo);
        });
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Answered.class, this::onAnswered)
                .onMessage(HostStopped.class, this::onHostStopped)
                .onMessage(ListingChanged.class, this::onListingChanged)
                .build();
    }

    private Behavior<Command> onListingChanged(ListingChanged msg) {
        var live = msg.listing().getServiceInstances(RewardScorerHost.KEY);
        Behavior<Command> next = this;
        for (int i = 0; i < targets.size() && next == this; i++) {
            Target t = targets.get(i);
            if (outcomes[i] == null && !live.contains(t.host())) {
                next = settle(i, left(t, "scorer's node left the cluster"));
            }
        }
        return next;
    }

    private Behavior<Command> onHostStopped(HostStopped h) {
        Target t = targets.get(h.index());
        return settle(h.index(), left(t, "scorer stopped"));
    }

    private Outcome left(Target t, String why) {
        return new Outcome(t, new ScoringOutcome.Faulted(new ScorerFault(t.objective().name(),
                ScorerFault.Kind.UNAVAILABLE, why), (System.nanoTime() - startNanos) / 1e6), true);
    }

    private Behavior<Command> onAnswered(Answered a) {
        Target t = targets.get(a.index());
        String name = t.objective().name();
        double millis = (a.nanos() - startNanos) / 1e6;
        if (a.reply() instanceof RewardScorerHost.Scored s) {
            // Checked again here: a remote host may not validate what its service returned.
            return settle(a.index(), new Outcome(t, SafeScoring.validate(t.objective(), s.scores(), expected, millis), false));
        }
        ScorerFault fault;
        if (a.reply() instanceof RewardScorerHost.ScoringFailed f) {
            fault = f.fault();
        } else if (a.error() instanceof TimeoutException) {
            fault = new ScorerFault(name, ScorerFault.Kind.DEADLINE, "no answer within " + deadline.toMillis() + "ms");
        } else {
            fault = new ScorerFault(name, ScorerFault.Kind.UNAVAILABLE, String.valueOf(a.error()));
        }
        return settle(a.index(), new Outcome(t, new ScoringOutcome.Faulted(fault, millis), false));
    }

    /** Records a target's outcome; the first one counts (an answer or the host's stop). */
    private Behavior<Command> settle(int index, Outcome outcome) {
        if (outcomes[index] != null) {
            return this;
        }
        outcomes[index] = outcome;
        if (--waiting > 0) {
            return this;
        }
        List<Outcome> all = List.of(outcomes);
        replyTo.tell(new Done(batch.batchId(), all, batch.withRewards(columnsFirst(all), skipped)));
        return Behaviors.stopped();
    }

    /** Valid columns in objective-name order, then the faults; targets that left give neither. */
    private static List<ScoringOutcome> columnsFirst(List<Outcome> outcomes) {
        List<ScoringOutcome> scored = new ArrayList<>();
        List<ScoringOutcome> faulted = new ArrayList<>();
        for (Outcome o : outcomes) {
            if (!o.left()) {
                (o.result() instanceof ScoringOutcome.Scored ? scored : faulted).add(o.result());
            }
        }
        scored.sort(Comparator.comparing(ScoringOutcome::objectiveName));
        scored.addAll(faulted);
        return scored;
    }
}
