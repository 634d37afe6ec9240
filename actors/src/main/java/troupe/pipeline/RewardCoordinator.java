package troupe.pipeline;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import troupe.core.reward.Objective;
import troupe.core.rollout.RolloutBatch;
import troupe.core.reward.ScorerFault;
import troupe.core.reward.ScoringOutcome;
import troupe.core.rollout.StageTiming;
import troupe.roles.RewardScorerHost;

/**
 * The reward stage's memory. Follows the live listing of {@link RewardScorerHost#KEY}: a host
 * that appears is asked its objective and scores from the next batch; one that disappears is
 * forgotten (the learner then removes its objective). Per batch it fans out to every active
 * scorer through a {@link RewardAggregator}, which attaches the reward vector to the batch; this
 * actor only routes the scored batch on, keeping each scorer's state (and timings) from the
 * outcomes. A scorer that leaves between answering and this actor hearing of it keeps its column
 * for that batch; the learner drops the objective when the listing says it left.
 *
 * <p>While no scorer is active (none listed, or every one still being described) a batch is held,
 * not scored on an empty reward vector; held batches go on when a scorer joins, except those the
 * pipeline has given up on (older than twice the deadline, its ask's timeout). The learner admits
 * no new batch meanwhile ({@link RoleWatch}).
 *
 * <p>Quarantine: after {@code quarantineAfter} consecutive faults a scorer is skipped, with an
 * UNAVAILABLE fault on each batch so events show it; every {@code probeInterval}-th batch it is
 * asked again, and a valid answer lifts the quarantine and counts for that batch.
 */
public final class RewardCoordinator extends AbstractBehavior<RewardCoordinator.Command> {

    public sealed interface Command {}

    public record ScoreBatch(RolloutBatch batch, ActorRef<BatchScored> replyTo) implements Command {}

    public record ListScorers(ActorRef<ScorerList> replyTo) implements Command {}

    private record ScorersChanged(Receptionist.Listing listing) implements Command {}

    private record HostDescribed(ActorRef<RewardScorerHost.Command> host, Objective objective, Throwable error)
            implements Command {}

    private record Aggregated(RewardAggregator.Done done) implements Command {}

    /** The batch with its reward vector, faults and reward timings. */
    public record BatchScored(RolloutBatch batch) {}

    public enum State { JOINING, ACTIVE, QUARANTINED, DUPLICATE }

    public record ScorerInfo(String objective, State state, int consecutiveFaults, long faults, String lastFault) {}

    public record ScorerList(List<ScorerInfo> scorers) {}

    /** Thresholds of the stage; see {@code troupe.pipeline} in reference.conf. */
    public record Settings(Duration deadline, int quarantineAfter, int probeInterval) {}

    private static final class Entry {
        Objective objective;
        State state = State.JOINING;
        boolean describing;
        int consecutive;
        long faults;
        String lastFault = "";
        long quarantinedAt;
    }

    private record Held(ScoreBatch request, long sinceNanos) {}

    private record InFlight(RolloutBatch batch, List<ScorerFault> skipped, ActorRef<BatchScored> replyTo,
            long startNanos) {}

    private final Settings settings;
    private final String node;
    private final Map<ActorRef<RewardScorerHost.Command>, Entry> hosts = new LinkedHashMap<>();
    private final Map<Long, InFlight> inFlight = new HashMap<>();
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private final ActorRef<RewardAggregator.Done> aggregated;
    private long batches;

    private RewardCoordinator(ActorContext<Command> ctx, Settings settings) {
        super(ctx);
        this.settings = settings;
        this.node = ctx.getSystem().address().toString();
        this.aggregated = ctx.messageAdapter(RewardAggregator.Done.class, Aggregated::new);
    }

    public static Behavior<Command> create(Settings settings) {
        return Behaviors.setup(ctx -> {
            ctx.getSystem().receptionist().tell(Receptionist.subscribe(RewardScorerHost.KEY,
                    ctx.messageAdapter(Receptionist.Listing.class, ScorersChanged::new)));
            return new RewardCoordinator(ctx, settings);
        });
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(ScoreBatch.class, this::onScoreBatch)
                .onMessage(ScorersChanged.class, this::onScorersChanged)
                .onMessage(HostDescribed.class, this::onHostDescribed)
                .onMessage(Aggregated.class, this::onAggregated)
                .onMessage(ListScorers.class, this::onListScorers)
                .build();
    }

    private Behavior<Command> onScorersChanged(ScorersChanged msg) {
        Set<ActorRef<RewardScorerHost.Command>> live = msg.listing().getServiceInstances(RewardScorerHost.KEY);
        hosts.entrySet().removeIf(e -> {
            boolean gone = !live.contains(e.getKey());
            if (gone) {
                getContext().getLog().info("scorer '{}' left", name(e.getValue()));
            }
            return gone;
        });
        live.forEach(h -> hosts.computeIfAbsent(h, k -> new Entry()));
        describeJoining();
        if (anyScorer()) {
            releaseHeld(); // batches re-held while a scorer that is still listed was active
        }
        return this;
    }

    private void describeJoining() {
        hosts.forEach((host, e) -> {
            if (e.state == State.JOINING && !e.describing) {
                e.describing = true;
                getContext().ask(RewardScorerHost.Described.class, host, settings.deadline(),
                        RewardScorerHost.Describe::new,
                        (d, err) -> new HostDescribed(host, d == null ? null : d.objective(), err));
            }
        });
    }

    private Behavior<Command> onHostDescribed(HostDescribed msg) {
        Entry e = hosts.get(msg.host());
        if (e == null) {
            return this;
        }
        e.describing = false;
        if (msg.objective() == null) {
            return this; // asked again with the next batch
        }
        e.objective = msg.objective();
        boolean taken = hosts.values().stream().anyMatch(o -> o != e && o.objective != null
                && o.state != State.DUPLICATE && o.objective.name().equals(msg.objective().name()));
        e.state = taken ? State.DUPLICATE : State.ACTIVE;
        if (taken) {
            getContext().getLog().error("a second scorer for objective '{}' is ignored", msg.objective().name());
        } else {
            getContext().getLog().info("scorer '{}' joined", msg.objective().name());
            releaseHeld();
        }
        return this;
    }

    private boolean anyScorer() {
        return hosts.values().stream().anyMatch(e -> e.state == State.ACTIVE || e.state == State.QUARANTINED);
    }

    private void releaseHeld() {
        if (held.isEmpty()) {
            return;
        }
        long expiry = settings.deadline().multipliedBy(2).toNanos();
        List<Held> waiting = List.copyOf(held);
        held.clear();
        long now = System.nanoTime();
        List<Held> live = waiting.stream().filter(h -> now - h.sinceNanos() < expiry).toList();
        getContext().getLog().info("a reward scorer is available again: {} held batches are scored, {} expired",
                live.size(), waiting.size() - live.size());
        live.forEach(h -> onScoreBatch(h.request()));
    }

    private Behavior<Command> onScoreBatch(ScoreBatch msg) {
        describeJoining();
        if (!anyScorer()) {
            if (held.isEmpty()) {
                getContext().getLog().warn("waiting: no reward scorer in the cluster; batch {} is held until one joins",
                        msg.batch().batchId());
            }
            held.add(new Held(msg, System.nanoTime()));
            return this;
        }
        batches++;
        List<RewardAggregator.Target> targets = new ArrayList<>();
        List<ScorerFault> skipped = new ArrayList<>();
        hosts.forEach((host, e) -> {
            if (e.state == State.ACTIVE
                    || (e.state == State.QUARANTINED && (batches - e.quarantinedAt) % settings.probeInterval() == 0)) {
                targets.add(new RewardAggregator.Target(host, e.objective));
            } else if (e.state == State.QUARANTINED) {
                skipped.add(new ScorerFault(e.objective.name(), ScorerFault.Kind.UNAVAILABLE,
                        "quarantined after " + e.consecutive + " consecutive faults; last: " + e.lastFault));
            }
        });
        RolloutBatch batch = msg.batch();
        inFlight.put(batch.batchId(), new InFlight(batch, skipped, msg.replyTo(), System.nanoTime()));
        getContext().spawnAnonymous(RewardAggregator.create(batch, skipped, targets, settings.deadline(), aggregated));
        return this;
    }

    private Behavior<Command> onAggregated(Aggregated msg) {
        InFlight f = inFlight.remove(msg.done().batchId());
        int counted = 0;
        RolloutBatch batch = msg.done().scored();
        for (RewardAggregator.Outcome o : msg.done().outcomes()) {
            Entry e = hosts.get(o.target().host());
            if (e == null || o.left()) {
                continue; // left while scoring: no state to keep
            }
            counted++;
            batch = batch.withTiming(new StageTiming("reward:" + e.objective.name(), o.result().millis(), node));
            if (o.result() instanceof ScoringOutcome.Scored) {
                if (e.state == State.QUARANTINED) {
                    getContext().getLog().info("scorer '{}' recovered", e.objective.name());
                }
                e.state = State.ACTIVE;
                e.consecutive = 0;
            } else {
                ScorerFault fault = ((ScoringOutcome.Faulted) o.result()).fault();
                e.consecutive++;
                e.faults++;
                e.lastFault = fault.kind() + ": " + fault.detail();
                if (e.state == State.ACTIVE && e.consecutive >= settings.quarantineAfter()) {
                    e.state = State.QUARANTINED;
                    e.quarantinedAt = batches;
                    getContext().getLog().warn("scorer '{}' quarantined after {} consecutive faults; last {}",
                            e.objective.name(), e.consecutive, e.lastFault);
                }
            }
        }
        if (counted == 0 && f.skipped().isEmpty() && !msg.done().outcomes().isEmpty()) {
            // Every scorer of the batch left while scoring: no reward vector at all, so wait for one.
            getContext().getLog().warn("waiting: every reward scorer of batch {} left the cluster while scoring; "
                    + "it is held until one joins", f.batch().batchId());
            held.add(new Held(new ScoreBatch(f.batch(), f.replyTo()), f.startNanos()));
            return this;
        }
        double millis = (System.nanoTime() - f.startNanos()) / 1e6;
        f.replyTo().tell(new BatchScored(batch.withTiming(new StageTiming("reward", millis, node))));
        return this;
    }

    private Behavior<Command> onListScorers(ListScorers msg) {
        msg.replyTo().tell(new ScorerList(hosts.values().stream()
                .map(e -> new ScorerInfo(name(e), e.state, e.consecutive, e.faults, e.lastFault))
                .sorted(Comparator.comparing(ScorerInfo::objective))
                .toList()));
        return this;
    }

    private static String name(Entry e) {
        return e.objective == null ? "(joining)" : e.objective.name();
    }
}
