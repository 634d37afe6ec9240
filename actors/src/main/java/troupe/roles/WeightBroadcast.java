package troupe.roles;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import troupe.core.engine.WeightUpdate;

/**
 * Short-lived child of the learner that delivers one {@link WeightUpdate} to a set of generators
 * and reports once every one has answered or timed out (fan-in with a deadline, as in Pekko's
 * StatsAggregator sample). The learner admits the next on-policy batch only after this report,
 * so a batch can never be sampled by weights the generators have not loaded yet.
 */
public final class WeightBroadcast extends AbstractBehavior<WeightBroadcast.Command> {

    public sealed interface Command {}

    /** Why the weights are sent: initial sync of (new) generators, or the result of a step. */
    public enum Purpose {
        SYNC,
        STEP
    }

    private record Answered(ActorRef<Generator.Command> generator, Generator.WeightsReply reply, Throwable error)
            implements Command {}

    /**
     * @param version the version broadcast
     * @param millis from start until the last answer
     * @param applied generators that now hold the version
     * @param missed generators that rejected it or did not answer in time, with the reason
     */
    public record Finished(long version, Purpose purpose, double millis, int applied, List<String> missed) {}

    private final long version;
    private final Purpose purpose;
    private final long startNanos = System.nanoTime();
    private final ActorRef<Finished> replyTo;
    private int waiting;
    private int applied;
    private final List<String> missed = new ArrayList<>();

    private WeightBroadcast(ActorContext<Command> ctx, long version, Purpose purpose, int targets,
            ActorRef<Finished> replyTo) {
        super(ctx);
        this.version = version;
        this.purpose = purpose;
        this.waiting = targets;
        this.replyTo = replyTo;
    }

    public static Behavior<Command> create(WeightUpdate update, Purpose purpose,
            Collection<ActorRef<Generator.Command>> generators, Duration timeout, ActorRef<Finished> replyTo) {
        return Behaviors.setup(ctx -> {
            if (generators.isEmpty()) {
                replyTo.tell(new Finished(update.version(), purpose, 0, 0, List.of()));
                return Behaviors.stopped();
            }
            for (ActorRef<Generator.Command> g : generators) {
                ctx.ask(Generator.WeightsReply.class, g, timeout, ref -> new Generator.ApplyWeights(update, ref),
                        (reply, error) -> new Answered(g, reply, error));
            }
            return new WeightBroadcast(ctx, update.version(), purpose, generators.size(), replyTo);
        });
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder().onMessage(Answered.class, this::onAnswered).build();
    }

    private Behavior<Command> onAnswered(Answered a) {
        if (a.reply() instanceof Generator.WeightsApplied ok && ok.version() >= version) {
            applied++;
        } else if (a.reply() instanceof Generator.WeightsRejected no) {
            missed.add(a.generator().path().name() + ": " + no.reason());
        } else {
            missed.add(a.generator().path().name() + ": " + (a.error() == null ? "answered an older version"
                    : Generator.describe(a.error())));
        }
        if (--waiting > 0) {
            return this;
        }
        replyTo.tell(new Finished(version, purpose, (System.nanoTime() - startNanos) / 1e6, applied,
                List.copyOf(missed)));
        return Behaviors.stopped();
    }
}
