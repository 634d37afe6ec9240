package troupe.cluster.node;

import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.SelfUp;
import org.apache.pekko.cluster.typed.Subscribe;
import troupe.config.PipelineSettings;
import troupe.core.engine.ReferenceEngine;
import troupe.core.engine.RolloutEngine;
import troupe.core.reward.RewardScorer;
import troupe.pipeline.RunEndNotice;
import troupe.roles.Generator;
import troupe.roles.ReferenceKl;
import troupe.roles.RewardScorerHost;

/**
 * Guardian of a node without the learner: once the node is Up it spawns the role actors it
 * hosts — generators, a reference, scorer hosts — each registering with the Receptionist, so
 * the learner node's pools and reward stage pick them up. A role actor that fails restarts with
 * backoff (its engine survives in the closure). The node runs until it is stopped: SIGTERM runs
 * coordinated shutdown, which leaves the cluster before the JVM exits. Losing the learner's node
 * does not stop it: it logs that it waits for a learner, keeps its actors registered, and serves
 * the next learner that joins (a restarted one loads its weights into the generators whatever
 * their version, see {@link Generator}). When the learner says the run has ended
 * ({@link RunEndNotice}) the node exits or keeps waiting, as {@code troupe.node.after-run} says,
 * and logs which.
 */
final class RoleNode {
    private static final double RESTART_JITTER = 0.2;
    private static final String LEARNER = "learner";

    /** What this node hosts; empty lists / null = role not hosted. */
    record Hosted(List<RolloutEngine> generators, ReferenceEngine reference, List<RewardScorer> scorers) {}

    private RoleNode() {}

    static Behavior<Void> create(Hosted hosted, PipelineSettings p, AfterRun afterRun) {
        return Behaviors.<Object>setup(ctx -> {
            Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(
                    ctx.getSelf().narrow(), SelfUp.class));
            Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(
                    ctx.getSelf().narrow(), ClusterEvent.MemberEvent.class));
            Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(
                    ctx.getSelf().narrow(), ClusterEvent.UnreachableMember.class));
            return Behaviors.receive(Object.class)
                    .onMessage(SelfUp.class, up -> {
                        DispatcherSelector blocking = DispatcherSelector.blocking();
                        for (int i = 0; i < hosted.generators().size(); i++) {
                            ctx.spawn(restarting(Generator.create(hosted.generators().get(i),
                                    p.weightBroadcastTimeout()), p), "generator-" + i, blocking);
                        }
                        if (hosted.reference() != null) {
                            ctx.spawn(restarting(ReferenceKl.create(hosted.reference()), p), "reference", blocking);
                        }
                        for (RewardScorer s : hosted.scorers()) {
                            ctx.spawn(restarting(RewardScorerHost.create(s, p.scorerQueue()), p),
                                    "scorer-" + s.objective().name());
                        }
                        ctx.getSystem().receptionist().tell(Receptionist.register(RunEndNotice.KEY,
                                ctx.getSelf().<RunEndNotice.RunEnded>narrow()));
                        ctx.getLog().info("node up: {} generators, reference {}, scorers {}; after the run: {} ({})",
                                hosted.generators().size(), hosted.reference() != null,
                                hosted.scorers().stream().map(s -> s.objective().name()).toList(), afterRun.key(),
                                AfterRun.KEY);
                        return Behaviors.same();
                    })
                    .onMessage(RunEndNotice.RunEnded.class, ended -> {
                        if (afterRun == AfterRun.EXIT) {
                            ctx.getLog().info("run {} ended after {} steps; {} = exit: leaving the cluster and exiting",
                                    ended.runId(), ended.steps(), AfterRun.KEY);
                            ctx.getSystem().terminate(); // coordinated shutdown: leave the cluster, then stop
                        } else {
                            ctx.getLog().info("run {} ended after {} steps; {} = wait: this node stays registered for "
                                    + "the next learner (SIGTERM stops it)", ended.runId(), ended.steps(), AfterRun.KEY);
                        }
                        return Behaviors.same();
                    })
                    .onMessage(ClusterEvent.MemberUp.class, up -> {
                        if (up.member().hasRole(LEARNER)) {
                            ctx.getLog().info("learner {} is up; serving it", up.member().address());
                        }
                        return Behaviors.same();
                    })
                    .onMessage(ClusterEvent.UnreachableMember.class, u -> {
                        if (u.member().hasRole(LEARNER)) {
                            ctx.getLog().warn("learner {} is unreachable", u.member().address());
                        }
                        return Behaviors.same();
                    })
                    .onMessage(ClusterEvent.MemberRemoved.class, removed -> {
                        if (removed.member().hasRole(LEARNER)) {
                            ctx.getLog().warn("waiting: no learner in the cluster ({} removed); this node's roles stay "
                                    + "registered for the next learner", removed.member().address());
                        }
                        return Behaviors.same();
                    })
                    .build();
        }).narrow();
    }

    private static <T> Behavior<T> restarting(Behavior<T> behavior, PipelineSettings p) {
        Duration min = p.restartMinBackoff();
        return Behaviors.supervise(behavior).onFailure(Exception.class,
                SupervisorStrategy.restartWithBackoff(min, p.restartMaxBackoff(), RESTART_JITTER));
    }
}
