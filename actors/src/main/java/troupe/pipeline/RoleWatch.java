package troupe.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.cluster.typed.Cluster;
import troupe.api.RunRoles;
import troupe.roles.Generator;
import troupe.roles.Learner;
import troupe.roles.ReferenceKl;
import troupe.roles.RewardScorerHost;

/**
 * Follows the Receptionist listings of the roles every step needs — generators, reward scorers,
 * the reference ({@link RunRoles#NEEDED}) — and tells the learner ({@link Learner.Waiting}) when
 * one has no live node left. The learner then admits no batch (it could only wait out its timeout
 * in a pool or the reward stage, be re-issued and wait again, in a loop) and reports WAITING with
 * the reason; once a node of the role (re)joins it admits again. A role counts as missing after
 * {@link #GRACE}: at start-up the local roles register a moment after this actor subscribes.
 *
 * <p>Every change of the listings goes to {@code readiness} (status and each LearnerEvent say
 * which roles are present and which are waited for); the log gets one line when the set of
 * present or waited-for roles changes, not per listing.
 */
final class RoleWatch extends AbstractBehavior<RoleWatch.Command> {
    /** Far longer than a listing takes to settle at start-up; far shorter than a node's failure detection. */
    static final Duration GRACE = Duration.ofSeconds(1);
    /** The check runs a little after the grace, so a timer that fires on the tick still sees it elapsed. */
    private static final Duration TIMER_SLACK = Duration.ofMillis(50);
    /** How the waiting detail names a role ("no reward scorer in the cluster"). */
    private static final Map<String, String> NOUNS = Map.of("reward", "reward scorer");

    sealed interface Command {}

    private record Changed(Receptionist.Listing listing) implements Command {}

    private record Check() implements Command {}

    private final ActorRef<Learner.Command> learner;
    private final Consumer<RunRoles> readiness;
    private final TimerScheduler<Command> timers;
    private final Address self;
    /** Role name (as the status says it) → nanoTime it became missing, or null while it has a node. */
    private final Map<String, Long> missingSince = new LinkedHashMap<>();
    /** Role name → addresses of its live actors' nodes. */
    private final Map<String, List<String>> nodes = new LinkedHashMap<>();
    private final Map<ServiceKey<?>, String> names = new LinkedHashMap<>();
    private String reported = "";
    private String logged = "";
    /** No line is logged before the first grace: the local roles are still registering. */
    private boolean settled;

    private RoleWatch(ActorContext<Command> ctx, TimerScheduler<Command> timers, ActorRef<Learner.Command> learner,
            Consumer<RunRoles> readiness) {
        super(ctx);
        // Named explicitly: detected from the stack, a line logged from a timer can come out as ActorCell's,
        // which the CLI's logging drops below WARN.
        ctx.setLoggerName(RoleWatch.class);
        this.learner = learner;
        this.readiness = readiness;
        this.timers = timers;
        this.self = Cluster.get(ctx.getSystem()).selfMember().address();
        names.put(Generator.KEY, "generator");
        names.put(RewardScorerHost.KEY, "reward");
        names.put(ReferenceKl.KEY, "reference");
        long now = System.nanoTime();
        for (String role : RunRoles.NEEDED) {
            missingSince.put(role, now); // until the first listing says otherwise
            nodes.put(role, List.of());
        }
    }

    static Behavior<Command> create(ActorRef<Learner.Command> learner) {
        return create(learner, roles -> {});
    }

    /** @param readiness gets the roles present and waited for at every change (from the actor's thread) */
    static Behavior<Command> create(ActorRef<Learner.Command> learner, Consumer<RunRoles> readiness) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            RoleWatch watch = new RoleWatch(ctx, timers, learner, readiness);
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
                .onMessage(Check.class, m -> {
                    settled = true;
                    return report();
                })
                .build();
    }

    private Behavior<Command> onChanged(Changed msg) {
        ServiceKey<?> key = msg.listing().getKey();
        String role = names.get(key);
        if (role == null) {
            return this;
        }
        // A local actor's path has no host: it runs on this node.
        nodes.put(role, msg.listing().getServiceInstances(key).stream()
                .map(ref -> (ref.path().address().hasGlobalScope() ? ref.path().address() : self).hostPort())
                .distinct().sorted().toList());
        boolean live = !nodes.get(role).isEmpty();
        if (live) {
            missingSince.put(role, null);
        } else if (missingSince.get(role) == null) {
            missingSince.put(role, System.nanoTime());
            timers.startSingleTimer(role, new Check(), GRACE.plus(TIMER_SLACK));
        }
        return report();
    }

    /**
     * Publishes the roles present and waited for; tells the learner when the set of roles missing
     * for longer than the grace changed; logs when either set changed.
     */
    private Behavior<Command> report() {
        long now = System.nanoTime();
        List<String> waitingFor = new ArrayList<>();
        missingSince.forEach((role, since) -> {
            if (since != null && now - since >= GRACE.toNanos()) {
                waitingFor.add(role);
            }
        });
        RunRoles roles = new RunRoles(RunRoles.NEEDED, nodes, waitingFor);
        readiness.accept(roles);
        String detail = waitingFor.isEmpty() ? ""
                : waitingFor.stream().map(r -> "no " + NOUNS.getOrDefault(r, r)).collect(Collectors.joining(" and "))
                        + " in the cluster";
        boolean waitChanged = !detail.equals(reported);
        String line = roles.describe();
        if (settled && !line.equals(logged) || waitChanged) {
            log(detail, waitChanged, line);
            logged = line;
        }
        if (waitChanged) {
            reported = detail;
            learner.tell(new Learner.Waiting(detail));
        }
        return this;
    }

    /** Nothing is logged before the first grace (the learner admits meanwhile; the roles are registering). */
    private void log(String detail, boolean waitChanged, String line) {
        if (waitChanged && !detail.isEmpty()) {
            getContext().getLog().warn("waiting: {}; no batch is admitted until one joins (roles {})", detail, line);
        } else if (waitChanged) {
            getContext().getLog().info("every role has a live node again; admitting batches (roles {})", line);
        } else {
            getContext().getLog().info("roles {} (needed: {})", line, String.join(", ", RunRoles.NEEDED));
        }
    }
}
