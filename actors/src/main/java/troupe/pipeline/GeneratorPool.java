package troupe.pipeline;

import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import troupe.roles.Generator;

/**
 * Load-balances generate requests round-robin over the generators in the live listing of
 * {@link Generator#KEY}, wherever they run. Unlike a group router it holds requests while no
 * generator is registered (start-up, every generator restarting) instead of dropping them.
 * Weight updates do not pass through here: the learner sends them to every generator itself.
 */
public final class GeneratorPool extends AbstractBehavior<GeneratorPool.Command> {

    public sealed interface Command {}

    public record Route(Generator.Generate request) implements Command {}

    private record GeneratorsChanged(Receptionist.Listing listing) implements Command {}

    private final StashBuffer<Command> waiting;
    private final List<ActorRef<Generator.Command>> generators = new ArrayList<>();
    private int next;

    private GeneratorPool(ActorContext<Command> ctx, StashBuffer<Command> waiting) {
        super(ctx);
        this.waiting = waiting;
    }

    /** @param maxWaiting requests held while no generator is registered (the stage's parallelism) */
    public static Behavior<Command> create(int maxWaiting) {
        return Behaviors.withStash(maxWaiting, stash -> Behaviors.setup(ctx -> {
            ctx.getSystem().receptionist().tell(Receptionist.subscribe(Generator.KEY,
                    ctx.messageAdapter(Receptionist.Listing.class, GeneratorsChanged::new)));
            return new GeneratorPool(ctx, stash);
        }));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Route.class, this::onRoute)
                .onMessage(GeneratorsChanged.class, this::onGeneratorsChanged)
                .build();
    }

    private Behavior<Command> onRoute(Route msg) {
        if (generators.isEmpty()) {
            if (waiting.isFull()) {
                msg.request().replyTo().tell(new Generator.GenerationFailed(msg.request().request().batchId(),
                        "no generator registered and " + waiting.size() + " requests already waiting"));
            } else {
                waiting.stash(msg);
            }
            return this;
        }
        next = (next + 1) % generators.size();
        generators.get(next).tell(msg.request());
        return this;
    }

    private Behavior<Command> onGeneratorsChanged(GeneratorsChanged msg) {
        generators.clear();
        generators.addAll(msg.listing().getServiceInstances(Generator.KEY));
        // A stable order keeps round-robin fair when the listing is re-sent unchanged.
        generators.sort((a, b) -> a.path().toString().compareTo(b.path().toString()));
        if (!generators.isEmpty() && !waiting.isEmpty()) {
            return waiting.unstashAll(this);
        }
        return this;
    }
}
