package troupe.api.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import troupe.api.HostPort;
import troupe.api.RemoteScorerSpec;
import troupe.core.reward.Direction;
import troupe.core.reward.RewardScorer;
import troupe.core.reward.ScoreInput;
import troupe.core.reward.ScorerFault;

/** RemoteRewardScorer against real RewardService servers on loopback (Netty, port 0). */
class RemoteRewardScorerTest {
    private static final RemoteScorerSettings FAST = new RemoteScorerSettings(
            Duration.ofSeconds(5), Duration.ofSeconds(5), 3, Duration.ofMillis(10), Duration.ofMillis(40), 0.1);

    private Server server;
    private RemoteRewardScorer scorer;

    @AfterEach
    void stop() {
        if (scorer != null) {
            scorer.close();
        }
        if (server != null) {
            server.shutdownNow();
        }
    }

    private HostPort serve(BindableService service) throws Exception {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(service).build().start();
        return new HostPort("127.0.0.1", server.getPort());
    }

    static ScoreInput input(String response) {
        return new ScoreInput("prompt", response, new int[] {1, 2}, new int[] {3}, "arithmetic", Map.of("answer", "4"), false);
    }

    private static List<ScoreInput> inputs(String... responses) {
        return java.util.Arrays.stream(responses).map(RemoteRewardScorerTest::input).toList();
    }

    @Test
    void scoresComeBackFromALocalScorerServedRemotely() throws Exception {
        HostPort target = serve(new RewardScorerService(new TestScorerFactory.LengthScorer(), "1.0"));
        RewardScorer remote = scorer = RemoteRewardScorer.connect(RemoteScorerSpec.of(target), FAST, "run-a");
        assertEquals("test-length", remote.objective().name());
        assertEquals(Direction.MINIMIZE, remote.objective().direction());
        assertEquals("1.0", scorer.version());
        assertEquals("remote:" + target, scorer.source());
        assertArrayEquals(new float[] {1, 3, 0}, remote.score(inputs("a", "abc", "")));
    }

    @Test
    void specOverridesNameDirectionAndDeadline() throws Exception {
        HostPort target = serve(new RewardScorerService(new TestScorerFactory.LengthScorer(), "1.0"));
        scorer = RemoteRewardScorer.connect(new RemoteScorerSpec(Optional.of("brevity"), target,
                Optional.of(Direction.MAXIMIZE), Optional.of(Duration.ofMillis(1234)), OptionalDouble.empty()), FAST, "r");
        assertEquals("brevity", scorer.objective().name());
        assertEquals(Direction.MAXIMIZE, scorer.objective().direction());
        assertEquals(Duration.ofMillis(1234), scorer.deadline());
    }

    @Test
    void largeBatchesAreSplitByTheServersMaxBatchSizeAndKeepOrder() throws Exception {
        ScriptedRewardService svc = new ScriptedRewardService(2, call -> null);
        scorer = RemoteRewardScorer.connect(RemoteScorerSpec.of(serve(svc)), FAST, "run-b");
        assertArrayEquals(new float[] {0, 1, 2, 3, 4}, scorer.score(inputs("0", "1", "2", "3", "4")));
        assertEquals(List.of(2, 2, 1), svc.requests.stream().map(r -> r.getItemsCount()).toList());
        assertTrue(svc.requests.stream().allMatch(r -> r.getRunId().equals("run-b") && r.getBatchId() == 1));
        assertEquals("4", svc.requests.get(0).getItems(0).getMetadataOrThrow("answer"));
    }

    @Test
    void unavailableIsRetriedWithBackoffThenSucceeds() throws Exception {
        ScriptedRewardService svc = new ScriptedRewardService(0,
                call -> call <= 2 ? Status.UNAVAILABLE.withDescription("restarting") : null);
        scorer = RemoteRewardScorer.connect(RemoteScorerSpec.of(serve(svc)), FAST, "r");
        assertArrayEquals(new float[] {7}, scorer.score(inputs("7")));
        assertEquals(3, svc.requests.size());
        assertTrue(svc.requests.stream().allMatch(r -> r.getBatchId() == 1), "retries resend the same batch id");
    }

    @Test
    void deadlineExceededOnEveryAttemptFailsAfterTheRetries() throws Exception {
        ScriptedRewardService svc = new ScriptedRewardService(0, call -> 400L);
        RemoteScorerSettings tight = FAST.withDeadline(Duration.ofMillis(50));
        scorer = RemoteRewardScorer.connect(RemoteScorerSpec.of(serve(svc)), tight, "r");
        RemoteScorerException e = assertThrows(RemoteScorerException.class, () -> scorer.score(inputs("1")));
        assertEquals(ScorerFault.Kind.DEADLINE, e.kind());
        assertTrue(e.getMessage().contains("after 3 attempts"), e.getMessage());
        // On a loaded machine a 50 ms deadline can expire before a request reaches the server, so
        // the server may have seen fewer than the client's 3 attempts — never more.
        assertTrue(svc.requests.size() <= 3, "requests seen: " + svc.requests.size());
    }

    @Test
    void otherErrorsFailAtOnce() throws Exception {
        ScriptedRewardService svc = new ScriptedRewardService(0, call -> Status.INTERNAL.withDescription("model crashed"));
        scorer = RemoteRewardScorer.connect(RemoteScorerSpec.of(serve(svc)), FAST, "r");
        RemoteScorerException e = assertThrows(RemoteScorerException.class, () -> scorer.score(inputs("1")));
        assertEquals(ScorerFault.Kind.EXCEPTION, e.kind());
        assertTrue(e.getMessage().contains("model crashed"), e.getMessage());
        assertEquals(1, svc.requests.size());
    }

    @Test
    void wrongCountAndNonFiniteScoresAreTypedFaults() throws Exception {
        ScriptedRewardService svc = new ScriptedRewardService(0,
                call -> call == 1 ? new float[] {1} : new float[] {1, Float.NaN});
        scorer = RemoteRewardScorer.connect(RemoteScorerSpec.of(serve(svc)), FAST, "r");
        assertEquals(ScorerFault.Kind.WRONG_COUNT,
                assertThrows(RemoteScorerException.class, () -> scorer.score(inputs("1", "2"))).kind());
        assertEquals(ScorerFault.Kind.NON_FINITE,
                assertThrows(RemoteScorerException.class, () -> scorer.score(inputs("1", "2"))).kind());
    }

    @Test
    void connectingToNothingIsUnavailableAfterRetries() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        RemoteScorerException e = assertThrows(RemoteScorerException.class,
                () -> RemoteRewardScorer.connect(RemoteScorerSpec.of(new HostPort("127.0.0.1", port)), FAST, "r"));
        assertEquals(ScorerFault.Kind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().startsWith("Describe 127.0.0.1:" + port), e.getMessage());
    }

    @Test
    void serverRejectsAnEmptyBatchNamingTheField() throws Exception {
        HostPort target = serve(new RewardScorerService(new TestScorerFactory.LengthScorer(), "1.0"));
        var stub = troupe.proto.v1.RewardServiceGrpc.newBlockingStub(
                troupe.api.grpc.GrpcTransport.channel(target, Optional.empty()));
        var e = assertThrows(io.grpc.StatusRuntimeException.class,
                () -> stub.score(troupe.proto.v1.ScoreRequest.getDefaultInstance()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals("items: must not be empty", e.getStatus().getDescription());
        ((io.grpc.ManagedChannel) stub.getChannel()).shutdownNow();
    }
}
