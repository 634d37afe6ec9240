package troupe.roles;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import troupe.api.remote.RemoteScorerException;
import troupe.core.reward.RewardScorer;
import troupe.core.reward.ScoreInput;
import troupe.core.reward.ScorerFault;
import troupe.testing.Doubles;

class RewardScorerHostTest {
    static ActorTestKit kit;
    static final List<ScoreInput> TWO = List.of(
            new ScoreInput("q", "a", new int[] {1}, new int[] {2}, "t", Map.of(), false),
            new ScoreInput("q", "b", new int[] {1}, new int[] {3}, "t", Map.of(), false));

    @BeforeAll
    static void start() {
        kit = RoleTestKit.startCluster();
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    private RewardScorerHost.ScoreReply score(RewardScorer scorer) {
        ActorRef<RewardScorerHost.Command> host = kit.spawn(RewardScorerHost.create(scorer, 2));
        TestProbe<RewardScorerHost.ScoreReply> probe = kit.createTestProbe();
        host.tell(new RewardScorerHost.Score(9, TWO, probe.ref()));
        return probe.receiveMessage();
    }

    private ScorerFault.Kind faultOf(RewardScorer scorer) {
        RewardScorerHost.ScoreReply reply = score(scorer);
        RewardScorerHost.ScoringFailed failed = (RewardScorerHost.ScoringFailed) reply;
        assertEquals(9, failed.batchId());
        return failed.fault().kind();
    }

    @Test
    void repliesWithOneScorePerSample() {
        RewardScorerHost.Scored scored = (RewardScorerHost.Scored) score(Doubles.constant("len", 0.5f));
        assertEquals("len", scored.objective());
        assertArrayEquals(new float[] {0.5f, 0.5f}, scored.scores());
    }

    @Test
    void turnsScorerMisbehaviourIntoTypedFaults() {
        assertEquals(ScorerFault.Kind.EXCEPTION, faultOf(Doubles.throwing("boom")));
        assertEquals(ScorerFault.Kind.NON_FINITE, faultOf(Doubles.nan("nan")));
        assertEquals(ScorerFault.Kind.WRONG_COUNT, faultOf(Doubles.wrongCount("count")));
    }

    @Test
    void keepsTheFaultKindARemoteScorerReports() {
        for (ScorerFault.Kind kind : ScorerFault.Kind.values()) {
            RewardScorerHost.ScoringFailed failed = (RewardScorerHost.ScoringFailed) score(Doubles.scorer("remote", in -> {
                throw new RemoteScorerException(kind, "remote call failed", null);
            }));
            assertEquals(kind, failed.fault().kind(), "a " + kind + " from the remote scorer is recorded as " + kind);
            assertEquals("RemoteScorerException: remote call failed", failed.fault().detail());
        }
    }

    @Test
    void survivesAnExceptionAndScoresTheNextBatch() {
        int[] calls = {0};
        ActorRef<RewardScorerHost.Command> host = kit.spawn(RewardScorerHost.create(Doubles.scorer("flaky", in -> {
            if (calls[0]++ == 0) {
                throw new IllegalStateException("first call fails");
            }
            return new float[] {1, 2};
        }), 2));
        TestProbe<RewardScorerHost.ScoreReply> probe = kit.createTestProbe();
        host.tell(new RewardScorerHost.Score(1, TWO, probe.ref()));
        probe.expectMessageClass(RewardScorerHost.ScoringFailed.class);
        host.tell(new RewardScorerHost.Score(2, TWO, probe.ref()));
        assertArrayEquals(new float[] {1, 2}, probe.expectMessageClass(RewardScorerHost.Scored.class).scores());
    }

    @Test
    void aHungScorerLeavesTheHostAnsweringAndBoundsItsQueue() {
        CountDownLatch release = new CountDownLatch(1);
        ActorRef<RewardScorerHost.Command> host = kit.spawn(RewardScorerHost.create(Doubles.hanging("slow", release), 1));
        TestProbe<RewardScorerHost.ScoreReply> probe = kit.createTestProbe();
        TestProbe<RewardScorerHost.Described> describe = kit.createTestProbe();
        host.tell(new RewardScorerHost.Score(1, TWO, probe.ref())); // hangs
        host.tell(new RewardScorerHost.Score(2, TWO, probe.ref())); // queued
        host.tell(new RewardScorerHost.Score(3, TWO, probe.ref())); // queue full
        RewardScorerHost.ScoringFailed busy = probe.expectMessageClass(RewardScorerHost.ScoringFailed.class);
        assertEquals(3, busy.batchId());
        assertEquals(ScorerFault.Kind.UNAVAILABLE, busy.fault().kind());
        host.tell(new RewardScorerHost.Describe(describe.ref()));
        assertEquals("slow", describe.receiveMessage().objective().name());
        release.countDown();
        assertEquals(1, probe.expectMessageClass(RewardScorerHost.Scored.class).batchId());
        assertEquals(2, probe.expectMessageClass(RewardScorerHost.Scored.class).batchId());
    }
}
