package troupe.cluster.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import troupe.cli.TinyModels;
import troupe.config.TroupeSettings;
import troupe.core.engine.RolloutRequest;
import troupe.core.reward.Objective;
import troupe.core.reward.RewardScorer;
import troupe.core.reward.judge.LlmJudgeScorer;
import troupe.core.rollout.RolloutBatch;
import troupe.core.rollout.Sample;
import troupe.pipeline.RewardCoordinator;
import troupe.roles.RewardScorerHost;
import troupe.testing.Doubles;
import troupe.testing.FixedRolloutEngine;
import troupe.testing.TestConfig;

/**
 * An LLM judge is a scorer like any other: a reward node given {@code --scorer llm-judge} builds
 * it from the run's {@code troupe.rewards.scorers} entry, and once hosted it joins a running job
 * whose batch was waiting for a scorer.
 */
class JudgeNodeTest {

    @TempDir
    Path tmp;

    @Test
    void aJudgeOnARewardNodeJoinsAtRuntimeAndScoresTheHeldBatch() throws IOException {
        Path model = TinyModels.save(tmp.resolve("judge"), 11L);
        Config config = ConfigFactory.parseString("troupe.rewards.scorers = [ { scorer = llm-judge, model = \""
                + model + "\", objective = verdict, yes = Y, no = N, template = \"{answer}? {response}\" } ]")
                .withFallback(ConfigFactory.load()).resolve();
        NodeSettings node = NodeSettings.fromConfig(config).withMoreScorers(List.of("llm-judge"));
        List<RewardScorer> scorers;
        try (NodeEngines engines = new NodeEngines(config, TroupeSettings.fromConfig(config), node)) {
            scorers = engines.scorers();
        }
        LlmJudgeScorer judge = (LlmJudgeScorer) scorers.get(0);
        ActorTestKit kit = ActorTestKit.create(TestConfig.cluster());
        try {
            Cluster cluster = Cluster.get(kit.system());
            cluster.manager().tell(Join.create(cluster.selfMember().address()));
            kit.createTestProbe().awaitAssert(Duration.ofSeconds(10), () -> {
                assertEquals(MemberStatus.up(), cluster.selfMember().status());
                return null;
            });
            ActorRef<RewardCoordinator.Command> rewards = kit.spawn(RewardCoordinator.create(
                    new RewardCoordinator.Settings(Duration.ofMinutes(2), 3, 2)));
            TestProbe<RewardCoordinator.BatchScored> scored = kit.createTestProbe();
            RolloutBatch batch = new FixedRolloutEngine().generate(new RolloutRequest("test", 1,
                    List.of(FixedRolloutEngine.prompt(0), FixedRolloutEngine.prompt(1)), 2, Doubles.SAMPLING));
            rewards.tell(new RewardCoordinator.ScoreBatch(batch, scored.ref()));
            scored.expectNoMessage(Duration.ofMillis(500)); // held: no scorer yet

            kit.spawn(RewardScorerHost.create(judge, 4));
            RolloutBatch out = scored.receiveMessage(Duration.ofSeconds(30)).batch();
            assertEquals(List.of("verdict"), out.objectives().stream().map(Objective::name).toList());
            assertTrue(out.faults().isEmpty(), out.faults().toString());
            float[] direct = judge.score(batch.scoreInputs());
            for (int i = 0; i < out.samples().size(); i++) {
                Sample s = out.samples().get(i);
                assertEquals(direct[i], s.rewards()[0], 1e-6f, "sample " + i);
                assertTrue(s.rewards()[0] > 0 && s.rewards()[0] < 1, "a probability: " + s.rewards()[0]);
            }
        } finally {
            kit.shutdownTestKit();
            judge.close();
        }
    }
}
