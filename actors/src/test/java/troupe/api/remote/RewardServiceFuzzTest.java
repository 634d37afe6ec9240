package troupe.api.remote;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import troupe.fuzz.Rejections;
import troupe.proto.v1.RewardServiceGrpc;
import troupe.proto.v1.ScoreRequest;

/**
 * Fuzz target: ScoreRequest messages into {@code troupe reward-server}'s RewardService (any
 * scorer; here the test length scorer). OK or INVALID_ARGUMENT with a description.
 */
class RewardServiceFuzzTest {
    private static final String NAME = InProcessServerBuilder.generateName();
    private static Server server;
    private static ManagedChannel channel;

    @BeforeAll
    static void start() throws Exception {
        server = InProcessServerBuilder.forName(NAME).directExecutor()
                .addService(new RewardScorerService(new TestScorerFactory.LengthScorer(), "fuzz")).build().start();
        channel = InProcessChannelBuilder.forName(NAME).directExecutor().build();
    }

    @AfterAll
    static void stop() {
        channel.shutdownNow();
        server.shutdownNow();
    }

    @FuzzTest(maxDuration = Rejections.CEILING)
    void scoresOrRejectsTheRequest(byte[] message) throws Throwable {
        ScoreRequest req;
        try {
            req = ScoreRequest.parseFrom(message);
        } catch (InvalidProtocolBufferException e) {
            return; // gRPC's own parser rejects it before Troupe sees it
        }
        Rejections.expectStatus(() -> RewardServiceGrpc.newBlockingStub(channel).score(req),
                Set.of(Status.Code.INVALID_ARGUMENT));
    }
}
