package troupe.roles;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import troupe.cluster.serialization.TroupeMessage;
import troupe.core.reward.Objective;
import troupe.core.reward.RewardScorer;
import troupe.core.reward.ScoreInput;
import troupe.core.reward.ScorerFault;

/**
 * Hosts one {@link RewardScorer} and registers it under {@link #KEY}; the reward stage follows
 * that listing, so a host that starts joins the reward vector and one that stops leaves it.
 *
 * <p>The scorer runs on the blocking dispatcher, off the actor's thread, so a scorer that hangs
 * leaves the host able to answer: requests queue (at most {@code queueCapacity}) while one call
 * runs, and beyond that are answered UNAVAILABLE at once. Exceptions, wrong counts and
 * non-finite scores become a {@link ScoringFailed} with a typed fault (a
 * {@link troupe.core.reward.ScorerException}, e.g. a remote scorer's DEADLINE, keeps its kind); the host never crashes on
 * what the scorer does. Calls are serialised, as the SPI promises scorers.
 */
public final class RewardScorerHost extends AbstractBehavior<RewardScorerHost.Command> {

    public static final ServiceKey<Command> KEY = ServiceKey.create(Command.class, "troupe-reward-scorer");

    public sealed interface Command extends TroupeMessage {}

    /** Which objective do you fill? */
    public record Describe(ActorRef<Described> replyTo) implements Command {}

    /** Score these samples of batch {@code batchId}. */
    public record Score(long batchId, List<ScoreInput> inputs, ActorRef<ScoreReply> replyTo) implements Command {}

    private record CallFinished(Score request, float[] scores, Throwable error) implements Command {}

    public record Described(Objective objective) implements TroupeMessage {}

    public sealed interface ScoreReply extends TroupeMessage {
        long batchId();
    }

    public record Scored(long batchId, String objective, float[] scores) implements ScoreReply {}

    public record ScoringFailed(long batchId, ScorerFault fault) implements ScoreReply {}

    private final RewardScorer scorer;
    private final Objective objective;
    private final StashBuffer<Command> queue;
    private final Executor blocking;
    private boolean busy;

    private RewardScorerHost(ActorContext<Command> ctx, RewardScorer scorer, StashBuffer<Command> queue) {
        super(ctx);
        this.scorer = scorer;
        this.objective = scorer.objective();
        this.queue = queue;
        this.blocking = ctx.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
    }

    /** @param queueCapacity score requests held while the scorer is busy, ≥ 1 */
    public static Behavior<Command> create(RewardScorer scorer, int queueCapacity) {
        return Behaviors.withStash(queueCapacity, queue -> Behaviors.setup(ctx -> {
            ctx.getSystem().receptionist().tell(Receptionist.register(KEY, ctx.getSelf()));
            return new RewardScorerHost(ctx, scorer, queue);
        }));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Describe.class, this::onDescribe)
                .onMessage(Score.class, this::onScore)
                .onMessage(CallFinished.class, this::onCallFinished)
                .build();
    }

    private Behavior<Command> onDescribe(Describe msg) {
        msg.replyTo().tell(new Described(objective));
        return this;
    }

    private Behavior<Command> onScore(Score msg) {
        if (!busy) {
            call(msg);
        } else if (queue.isFull()) {
            msg.replyTo().tell(new ScoringFailed(msg.batchId(), new ScorerFault(objective.name(),
                    ScorerFault.Kind.UNAVAILABLE, "busy: " + queue.size() + " requests already queued")));
        } else {
            queue.stash(msg);
        }
        return this;
    }

    private void call(Score msg) {
        busy = true;
        List<ScoreInput> inputs = msg.inputs();
        CompletableFuture<float[]> call = CompletableFuture.supplyAsync(() -> scorer.score(inputs), blocking);
        getContext().pipeToSelf(call, (scores, error) -> new CallFinished(msg, scores, error));
    }

    private Behavior<Command> onCallFinished(CallFinished done) {
        Score req = done.request();
        if (done.error() != null) {
            Throwable cause = done.error() instanceof java.util.concurrent.CompletionException c && c.getCause() != null
                    ? c.getCause() : done.error();
            req.replyTo().tell(new ScoringFailed(req.batchId(), ScorerFault.thrown(objective.name(), cause)));
        } else {
            req.replyTo().tell(ScorerFault.check(objective.name(), done.scores(), req.inputs().size())
                    .<ScoreReply>map(f -> new ScoringFailed(req.batchId(), f))
                    .orElseGet(() -> new Scored(req.batchId(), objective.name(), done.scores())));
        }
        busy = false;
        if (!queue.isEmpty()) {
            // The oldest queued request starts now; the rest stay queued behind it.
            return queue.unstash(this, 1, m -> m);
        }
        return this;
    }
}
