package troupe.api.grpc;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Status;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import troupe.api.FakeRunControl;
import troupe.api.LearnerEventHub;
import troupe.fuzz.Rejections;
import troupe.proto.v1.AddRemoteScorerRequest;
import troupe.proto.v1.ControlGrpc;
import troupe.proto.v1.RemoveScorerRequest;
import troupe.proto.v1.SetWeightingRequest;

/**
 * Fuzz target: protobuf messages into the Control service (the three calls that carry
 * arguments), through an in-process server with the real interceptor and edge checks. An answer
 * is OK or a documented status with a description (INVALID_ARGUMENT naming the field, NOT_FOUND,
 * ALREADY_EXISTS, FAILED_PRECONDITION); INTERNAL or UNKNOWN is a finding.
 */
class ControlFuzzTest {
    private static final Set<Status.Code> DOCUMENTED = Set.of(Status.Code.INVALID_ARGUMENT, Status.Code.NOT_FOUND,
            Status.Code.ALREADY_EXISTS, Status.Code.FAILED_PRECONDITION);
    private static InProcessTroupe troupe;
    private static ControlGrpc.ControlBlockingStub control;

    @BeforeAll
    static void start() throws Exception {
        troupe = new InProcessTroupe(new LearnerEventHub(10, 10), new FakeRunControl());
        control = troupe.control();
    }

    @AfterAll
    static void stop() {
        troupe.close();
    }

    @FuzzTest(maxDuration = Rejections.CEILING)
    void answersOkOrADocumentedStatus(FuzzedDataProvider data) throws Throwable {
        int call = data.consumeInt(0, 2);
        byte[] message = data.consumeRemainingAsBytes();
        try {
            switch (call) {
                case 0 -> {
                    SetWeightingRequest req = SetWeightingRequest.parseFrom(message);
                    Rejections.expectStatus(() -> control.setWeighting(req), DOCUMENTED);
                }
                case 1 -> {
                    AddRemoteScorerRequest req = AddRemoteScorerRequest.parseFrom(message);
                    Rejections.expectStatus(() -> control.addRemoteScorer(req), DOCUMENTED);
                }
                default -> {
                    RemoveScorerRequest req = RemoveScorerRequest.parseFrom(message);
                    Rejections.expectStatus(() -> control.removeScorer(req), DOCUMENTED);
                }
            }
        } catch (InvalidProtocolBufferException e) {
            // not a message of that type: gRPC's own parser rejects it before Troupe sees it
        }
    }
}
