package troupe.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import troupe.roles.Generator;
import troupe.roles.Learner;
import troupe.roles.ReferenceKl;
import troupe.roles.RewardScorerHost;

/**
 * Follows the Receptionist listings of the roles every step needs — generators, reward scorers,
 * the reference — and tells the learner ({@link Learner.Waiting}) when one has no live node
 * left. The learner then admits no batch (it could only wait out its timeout in a pool or the
 * reward stage, be re-issued and wait again, in a loop) and reports WAITING with the reason;
 * once a node of the role (re)joins it admits again. A role counts as missing after
 * {@link #GRACE}: at start-up the local roles register a moment after this actor subscribes.
 */
final class RoleWatch extends AbstractBehavior<RoleWatch.Command> {
    /** Far longer than a listing takes to settle at start-up; far shorter than a node's failure detection. */
    static final Duration GRACE = Duration.ofSeconds(1);
    /** The check runs a little after the grace, so a timer that fires on the tick still sees it elapsed. */
    private static final Duration TIMER_SLACK = Duration.ofMillis(50);

    sealed interface Command {}

    private record Changed(Receptionist.Listing listing) implements Command {}

    private record Check() implements Command {}

    private final ActorRef<Learner.Command> learner;
    private final TimerScheduler<Command> timers;
    /** Role name (as the status says it) → nanoTime it became missing, or null while it has a node. */
    private final Map<String, Long> missingSince = new LinkedHashMap<>();
    private final Map<ServiceKey<?>, String> names = new LinkedHashMap<>();
    private String reported = "";

    private RoleWatch(ActorContext<Command> ctx, TimerScheduler<Command> timers, ActorRef<Learner.Command> learner) {
        super(ctx);
        this.learner = learner;
        this.timers = timers;
        names.put(Generator.KEY, "generator");
        names.put(RewardScorerHost.KEY, "reward scorer");
        names.put(ReferenceKl.KEY, "reference");
        long now = System.nanoTime();
        names.values().forEach(n -> missingSince.put(n, now)); // until the first listing says otherwise
    }

    static Behavior<Command> create(ActorRef<Learner.Command> learner) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            RoleWatch watch = new RoleWatch(ctx, timers, learner);
            // One adapter per message class: every listing comes through it, told apart by its key.
            ActorRef<Receptionist.Listing> adapter = ctx.messageAdapter(Receptionist.Listing.class, Changed::new);
            watch.names.keySet().forEach(k -> ctx.getSystem().receptionist().tell(Receptionist.subscribe(k, adapter)));
            timers.startSingleTimer(new Check(), GRACE.plus(TIMER_SLACK));
            return watch;
        }));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Changed.class, this::onChanged)
                .onMessage(Check.class, m -> report())
                .build();
    }

    private Behavior<Command> onChanged(Changed msg) {
        String role = names.get(msg.listing().getKey());
        if (role == null) {
            return this;
        }
        boolean live = !msg.listing().getServiceInstances(msg.listing().getKey()).isEmpty();
        if (live) {
            missingSince.put(role, null);
        } else if (missingSince.get(role) == null) {
            missingSince.put(role, System.nanoTime());
            timers.startSingleTimer(role, new Check(), GRACE.plus(TIMER_SLACK));
        }
        return report();
    }

    /** Tells the learner when the set of roles missing for longer than the grace changed. */
    private Behavior<Command> report() {
        long now = System.nanoTime();
        List<String> missing = new ArrayList<>();
        missingSince.forEach((role, since) -> {
            if (since != null && now - since >= GRACE.toNanos()) {
                missing.add("no " + role);
            }
        });
        String detail = missing.isEmpty() ? "" : String.join(" and ", missing) + " in the cluster";
        if (!detail.equals(reported)) {
            if (detail.isEmpty()) {
                getContext().getLog().info("every role has a live node again; admitting batches");
            } else {
                getContext().getLog().warn("waiting: {}; no batch is admitted until one joins", detail);
            }
            reported = detail;
            learner.tell(new Learner.Waiting(detail));
        }
        return this;
    }
}
