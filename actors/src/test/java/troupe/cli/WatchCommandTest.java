package troupe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;
import troupe.api.FakeRunControl;
import troupe.api.LearnerEventHub;
import troupe.api.TestEvents;
import troupe.api.grpc.TroupeGrpcServer;

class WatchCommandTest {

    @Test
    void printsAHeaderAndOneRowPerEvent() throws Exception {
        LearnerEventHub hub = new LearnerEventHub(10, 10);
        for (long step = 1; step <= 5; step++) {
            hub.publish(TestEvents.step(step));
        }
        try (TroupeGrpcServer server = new TroupeGrpcServer(
                NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)), hub, new FakeRunControl(), "t").start()) {
            CliRunner r = CliRunner.run("watch", "--target", "127.0.0.1:" + server.port(), "--replay", "3", "--count", "3");
            assertEquals(0, r.status(), r.err());
            List<String> lines = r.out().lines().toList();
            assertEquals(4, lines.size(), r.out());
            assertTrue(lines.get(0).trim().startsWith("step"), lines.get(0));
            for (String column : List.of("correct↑", "length↓", "KL", "entropy", "reward", "samples/s", "missed")) {
                assertTrue(lines.get(0).contains(column), column + " missing from " + lines.get(0));
            }
            assertEquals(List.of("3", "4", "5"), lines.subList(1, 4).stream().map(l -> l.trim().split("\\s+")[0]).toList());
            String[] step5 = lines.get(3).trim().split("\\s+");
            var e = TestEvents.step(5);
            assertEquals(String.format(java.util.Locale.ROOT, "%.4f", e.getObjectives(0).getRawMean()), step5[1]);
            assertEquals(String.format(java.util.Locale.ROOT, "%.2f", e.getObjectives(0).getWeight()), step5[2]);
            assertEquals("0", step5[step5.length - 1], "missed column");
        }
    }

    @Test
    void rowShowsMissedEventsAndHeaderRepeatsWhenObjectivesChange() {
        java.io.StringWriter s = new java.io.StringWriter();
        WatchTable t = new WatchTable(new java.io.PrintWriter(s, true));
        t.print(TestEvents.step(1));
        t.print(TestEvents.step(9).toBuilder().setMissedEvents(7).build());
        t.print(TestEvents.step(10).toBuilder().removeObjectives(1).build());
        List<String> lines = s.toString().lines().toList();
        assertEquals(5, lines.size(), s.toString());
        assertTrue(lines.get(2).endsWith(" 7"), lines.get(2));
        assertTrue(lines.get(3).contains("correct") && !lines.get(3).contains("length"), lines.get(3));
    }

    @Test
    void rowEndsWithWhatTheAlgorithmReports() {
        var gae = TestEvents.step(2).toBuilder().setCritic(troupe.proto.v1.CriticStats.newBuilder().setPresent(true)
                .setExplainedVariance(0.42).setValueClipFraction(0.1)).build();
        assertTrue(WatchTable.row(gae).endsWith("  EV 0.42 vclip 0.10"), WatchTable.row(gae));
        var dpo = TestEvents.step(2).toBuilder().setPreference(troupe.proto.v1.PreferenceStats.newBuilder()
                .setLoss("dpo").setRewardAccuracy(0.75).setRewardMargin(0.125).setPairs(30)).build();
        assertTrue(WatchTable.row(dpo).endsWith("  dpo acc 0.75 margin 0.125 pairs 30"), WatchTable.row(dpo));
        var dapo = TestEvents.step(2).toBuilder().setDynamicSampling(troupe.proto.v1.DynamicSamplingStats.newBuilder()
                .setEnabled(true).setGroupsKept(24).setGroupsTarget(32).setGenerationBatches(2)).build();
        assertTrue(WatchTable.row(dapo).endsWith("  kept 24/32 of 2 batches"), WatchTable.row(dapo));
        assertEquals("", WatchTable.algorithm(TestEvents.step(2)), "plain GRPO adds nothing");
        var raft = TestEvents.step(2).toBuilder().setRanking(troupe.proto.v1.RankingStats.newBuilder()
                .setAlgorithm("raft").setKeptFraction(0.25).setKeptRewardMean(0.875)).build();
        assertTrue(WatchTable.row(raft).endsWith("  raft kept 0.25 reward 0.875"), WatchTable.row(raft));
        var pro = TestEvents.step(2).toBuilder().setRanking(troupe.proto.v1.RankingStats.newBuilder()
                .setAlgorithm("pro").setGroups(8).setTopChoiceAccuracy(0.5)).build();
        assertTrue(WatchTable.row(pro).endsWith("  pro groups 8 top 0.50"), WatchTable.row(pro));
    }

    @Test
    void badTargetExitsTwoNamingTheOption() {
        CliRunner r = CliRunner.run("watch", "--target", "no-port");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("--target: must be host:port"), r.err());
    }

    @Test
    void unreachableServerExitsOne() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        CliRunner r = CliRunner.run("watch", "--target", "127.0.0.1:" + port);
        assertEquals(1, r.status());
        assertTrue(r.err().contains("UNAVAILABLE"), r.err());
    }
}
