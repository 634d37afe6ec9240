package troupe.api.remote;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import troupe.api.HostPort;
import troupe.api.RemoteScorerSpec;
import troupe.fuzz.Rejections;
import troupe.proto.v1.DescribeRequest;
import troupe.proto.v1.DescribeResponse;
import troupe.proto.v1.RewardServiceGrpc;
import troupe.proto.v1.ScoreRequest;
import troupe.proto.v1.ScoreResponse;

/**
 * Fuzz target: a remote scorer's malformed replies. A RewardService answers Describe and Score
 * with messages decoded from the input; connecting and scoring a 3-item batch either works or
 * fails with {@link RemoteScorerException} (the fault the reward stage quarantines by kind).
 */
class RemoteReplyFuzzTest {
    private static final RemoteScorerSettings ONE_TRY = new RemoteScorerSettings(
            Duration.ofSeconds(5), Duration.ofSeconds(5), 1, Duration.ofMillis(1), Duration.ofMillis(1), 0.1);
    private static final RemoteScorerSpec SPEC = new RemoteScorerSpec(Optional.empty(), new HostPort("fuzz", 1),
            Optional.empty(), Optional.empty(), OptionalDouble.empty());
    private static final String NAME = InProcessServerBuilder.generateName();
    private static volatile DescribeResponse described;
    private static volatile ScoreResponse scored;
    private static Server server;

    @BeforeAll
    static void start() throws Exception {
        server = InProcessServerBuilder.forName(NAME).directExecutor().addService(new RewardServiceGrpc.RewardServiceImplBase() {
            @Override
            public void describe(DescribeRequest req, StreamObserver<DescribeResponse> out) {
                out.onNext(described);
                out.onCompleted();
            }

            @Override
            public void score(ScoreRequest req, StreamObserver<ScoreResponse> out) {
                out.onNext(scored);
                out.onCompleted();
            }
        }).build().start();
    }

    @AfterAll
    static void stop() {
        server.shutdownNow();
    }

    @FuzzTest(maxDuration = Rejections.CEILING)
    void scoresOrFailsAsAScorerFault(FuzzedDataProvider data) throws Throwable {
        try {
            described = DescribeResponse.parseFrom(data.consumeBytes(data.consumeInt(0, 200)));
            scored = ScoreResponse.parseFrom(data.consumeRemainingAsBytes());
        } catch (InvalidProtocolBufferException e) {
            return; // gRPC's own parser rejects it before Troupe sees it
        }
        ManagedChannel channel = InProcessChannelBuilder.forName(NAME).directExecutor().build();
        Rejections.expectOnly("", () -> {
            try (RemoteRewardScorer scorer = RemoteRewardScorer.connect(channel, SPEC, ONE_TRY, "fuzz-run")) {
                scorer.score(List.of(RemoteRewardScorerTest.input("a"), RemoteRewardScorerTest.input("bb"),
                        RemoteRewardScorerTest.input("ccc")));
            }
        }, RemoteScorerException.class);
        channel.shutdownNow();
    }
}
