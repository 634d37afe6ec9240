package troupe.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import troupe.core.reward.Objective;
import troupe.core.reward.ScorerRegistry;
import troupe.core.rollout.RolloutBatch;
import troupe.core.rollout.Sample;
import troupe.core.rollout.StageTiming;
import troupe.roles.RewardScorerHost;
import troupe.testing.Doubles;
import troupe.testing.TestConfig;

/**
 * A run whose policy keeps timing out does not quarantine the code-execution scorer: through the
 * real reward stage (coordinator, aggregator, scorer host), batch after batch of infinite loops is
 * scored 0 within the scorer deadline, never counted as a fault.
 */
class CodeExecutionQuarantineTest {

    @TempDir
    Path work;

    private ActorTestKit kit;

    @AfterEach
    void stop() {
        if (kit != null) {
            kit.shutdownTestKit();
        }
    }

    @Test
    void defaultBatchBudgetLeavesRoomBeforeTheDefaultScorerDeadline() {
        Config reference = ConfigFactory.defaultReference();
        Duration budget = reference.getDuration("troupe.rewards.defaults.code-execution.batch-budget");
        Duration timeout = reference.getDuration("troupe.rewards.defaults.code-execution.timeout");
        Duration deadline = reference.getDuration("troupe.pipeline.scorer-deadline");
        // a batch ends by the budget plus one run's clean-up; a third of the deadline is the margin
        assertTrue(budget.multipliedBy(3).compareTo(deadline.multipliedBy(2)) <= 0, budget + " vs " + deadline);
        assertTrue(timeout.compareTo(budget) <= 0);
    }

    @Test
    void policyThatOnlyWritesInfiniteLoopsIsScoredZeroAndTheScorerStaysActive() {
        kit = ActorTestKit.create(TestConfig.cluster());
        Cluster cluster = Cluster.get(kit.system());
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
        kit.createTestProbe().awaitAssert(Duration.ofSeconds(10), () -> {
            assertEquals(MemberStatus.up(), cluster.selfMember().status());
            return null;
        });
        int quarantineAfter = 2;
        Duration deadline = Duration.ofSeconds(4);
        ActorRef<RewardCoordinator.Command> rewards = kit.spawn(RewardCoordinator.create(
                new RewardCoordinator.Settings(deadline, quarantineAfter, 1)));
        // 12 loops of 1 s, 2 at a time, would take 6 s; the 2 s batch budget keeps each batch in time
        kit.spawn(RewardScorerHost.create(ScorerRegistry.fromClasspath().create("code-execution",
                ConfigFactory.parseString("timeout = 1s, batch-budget = 2s, parallelism = 2, work-dir = \"" + work
                        + "\"")), 4));
        TestProbe<RewardCoordinator.BatchScored> scored = kit.createTestProbe();
        for (long id = 1; id <= quarantineAfter + 1; id++) {
            if (id == 1) {
                awaitActive(rewards);
            }
            rewards.tell(new RewardCoordinator.ScoreBatch(loops(id, 12), scored.ref()));
            RolloutBatch out = scored.receiveMessage(Duration.ofSeconds(15)).batch();
            assertEquals(List.of("code-execution"), out.objectives().stream().map(Objective::name).toList());
            assertEquals(List.of(), out.faults(), "batch " + id);
            out.samples().forEach(s -> assertEquals(0f, s.rewards()[0]));
        }
        TestProbe<RewardCoordinator.ScorerList> list = kit.createTestProbe();
        rewards.tell(new RewardCoordinator.ListScorers(list.ref()));
        assertEquals(List.of(new RewardCoordinator.ScorerInfo("code-execution", RewardCoordinator.State.ACTIVE, 0, 0, "")),
                list.receiveMessage().scorers());
    }

    private void awaitActive(ActorRef<RewardCoordinator.Command> rewards) {
        TestProbe<RewardCoordinator.ScorerList> list = kit.createTestProbe();
        list.awaitAssert(Duration.ofSeconds(20), () -> {
            rewards.tell(new RewardCoordinator.ListScorers(list.ref()));
            assertEquals(List.of(RewardCoordinator.State.ACTIVE),
                    list.receiveMessage().scorers().stream().map(RewardCoordinator.ScorerInfo::state).toList());
            return null;
        });
    }

    private static RolloutBatch loops(long id, int n) {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            samples.add(Sample.sampled("p" + i, i, new int[] {10}, new int[] {1, 2}, new float[] {-0.5f, -0.5f},
                    new float[] {-0.4f, -0.4f}, false, "write f", "```python\nwhile True:\n    pass\n```", "code",
                    Map.of("tests", "[\"assert True\"]")));
        }
        return RolloutBatch.sampled("test", id, 0, Doubles.SAMPLING, samples, new StageTiming("generate", 0, ""));
    }
}
