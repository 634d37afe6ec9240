package troupe.pipeline;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import troupe.cluster.bulk.BulkChannel;
import troupe.roles.Generator;
import troupe.roles.ReferenceKl;

/**
 * Load-balances requests round-robin over the live Receptionist listing of one role, wherever
 * its actors run. Unlike a group router it holds requests while no actor of the role is
 * registered (start-up, every node of the role gone) — logging that the run waits for the role —
 * instead of dropping them.
 *
 * <p>Node loss: the cluster Receptionist drops the services of an unreachable node from the
 * listing within seconds. Requests routed to an actor that leaves the listing are failed at
 * once (the pipeline then reports the batch lost and the learner re-admits one) rather than
 * waiting for their ask timeout. Requests come from the pipeline's asks, at most
 * {@code parallelism} at a time, so the last {@code parallelism} routed requests include every
 * one still in flight; failing one that was already answered reaches a completed ask and is
 * dropped, so no batch is ever answered twice.
 *
 * @param <C> the role's command type
 */
public final class RolePool<C> extends AbstractBehavior<RolePool.Command<C>> {

    public sealed interface Command<C> {}

    /** Send {@code request} to one live actor of the role. */
    public record Route<C>(C request) implements Command<C> {}

    private record Changed<C>(Receptionist.Listing listing) implements Command<C> {}

    private record Routed<C>(ActorRef<C> target, C request) {}

    private final ServiceKey<C> key;
    private final String role;
    private final int parallelism;
    private final BiConsumer<C, String> fail;
    private final BiFunction<C, ActorRef<C>, C> forTarget;
    private final StashBuffer<Command<C>> waiting;
    private final List<ActorRef<C>> targets = new ArrayList<>();
    private final ArrayDeque<Routed<C>> recent = new ArrayDeque<>();
    private boolean reportedEmpty;
    private int next;

    private RolePool(ActorContext<Command<C>> ctx, ServiceKey<C> key, String role, int parallelism,
            BiConsumer<C, String> fail, BiFunction<C, ActorRef<C>, C> forTarget, StashBuffer<Command<C>> waiting) {
        super(ctx);
        this.forTarget = forTarget;
        this.key = key;
        this.role = role;
        this.parallelism = parallelism;
        this.fail = fail;
        this.waiting = waiting;
    }

    /**
     * @param parallelism requests in flight at most (the stage's mapAsync bound); also how many
     *     are held while no actor of the role is registered
     * @param fail answers a request that cannot be served, with the reason
     * @param forTarget the request as it travels to the chosen actor (e.g. a bulk handle instead of
     *     the batch for one on another node); {@code fail} always gets the original
     */
    public static <C> Behavior<Command<C>> create(ServiceKey<C> key, String role, int parallelism,
            BiConsumer<C, String> fail, BiFunction<C, ActorRef<C>, C> forTarget) {
        return Behaviors.<Command<C>>withStash(parallelism, stash -> Behaviors.setup(ctx -> {
            ctx.getSystem().receptionist().tell(Receptionist.subscribe(key,
                    ctx.messageAdapter(Receptionist.Listing.class, Changed::new)));
            return new RolePool<>(ctx, key, role, parallelism, fail, forTarget, stash);
        }));
    }

    /** The pool of generators: failed requests answer {@link Generator.GenerationFailed}. */
    public static Behavior<Command<Generator.Command>> generators(int parallelism) {
        return create(Generator.KEY, "generator", parallelism, (c, reason) -> {
            if (c instanceof Generator.Generate g) {
                g.replyTo().tell(new Generator.GenerationFailed(g.request().batchId(), reason));
            }
        }, (c, target) -> c);
    }

    /**
     * The pool of reference-KL actors: failed requests answer {@link ReferenceKl.ReferenceFailed};
     * an actor on another node gets the batch over the bulk channel.
     */
    public static Behavior<Command<ReferenceKl.Command>> references(int parallelism) {
        return Behaviors.setup(ctx -> create(ReferenceKl.KEY, "reference", parallelism, (c, reason) -> {
            if (c instanceof ReferenceKl.ComputeReference r) {
                r.replyTo().tell(new ReferenceKl.ReferenceFailed(r.batch().batchId(), reason));
            }
        }, (c, target) -> ReferenceKl.forTarget(c, target, BulkChannel.get(ctx.getSystem()))));
    }

    @Override
    @SuppressWarnings("unchecked") // the class literals of generic records are raw
    public Receive<Command<C>> createReceive() {
        return newReceiveBuilder()
                .onMessage(Route.class, m -> onRoute((Route<C>) m))
                .onMessage(Changed.class, m -> onChanged(((Changed<C>) m).listing()))
                .build();
    }

    private Behavior<Command<C>> onRoute(Route<C> msg) {
        C request = msg.request();
        if (targets.isEmpty()) {
            if (!reportedEmpty) {
                reportedEmpty = true;
                getContext().getLog().warn("waiting: no {} registered in the cluster; requests are held", role);
            }
            if (waiting.isFull()) {
                fail.accept(request, "no " + role + " registered and " + waiting.size() + " requests already waiting");
            } else {
                waiting.stash(msg);
            }
            return this;
        }
        next = (next + 1) % targets.size();
        ActorRef<C> target = targets.get(next);
        recent.addLast(new Routed<>(target, request));
        while (recent.size() > parallelism) {
            recent.removeFirst();
        }
        target.tell(forTarget.apply(request, target));
        return this;
    }

    private Behavior<Command<C>> onChanged(Receptionist.Listing listing) {
        Set<ActorRef<C>> live = listing.getServiceInstances(key);
        for (Routed<C> r : List.copyOf(recent)) {
            if (!live.contains(r.target())) {
                recent.remove(r);
                fail.accept(r.request(), role + " " + r.target().path() + " left the cluster");
            }
        }
        if (!live.containsAll(targets) || !targets.containsAll(live)) {
            getContext().getLog().info("{} listing: {} live", role, live.size());
        }
        targets.clear();
        targets.addAll(live);
        // A stable order keeps round-robin fair when the listing is re-sent unchanged.
        targets.sort((a, b) -> a.path().toString().compareTo(b.path().toString()));
        if (!targets.isEmpty()) {
            if (reportedEmpty) {
                getContext().getLog().info("{} available again; {} held requests resume", role, waiting.size());
            }
            reportedEmpty = false;
            if (!waiting.isEmpty()) {
                return waiting.unstashAll(this);
            }
        }
        return this;
    }
}
