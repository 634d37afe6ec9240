package troupe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import troupe.api.grpc.BearerToken;
import troupe.proto.v1.ControlGrpc;
import troupe.proto.v1.LearnerEvent;
import troupe.proto.v1.LearnerStreamGrpc;
import troupe.proto.v1.PauseRequest;
import troupe.proto.v1.ResumeRequest;
import troupe.proto.v1.RunState;
import troupe.proto.v1.StatusRequest;
import troupe.proto.v1.StatusResponse;
import troupe.proto.v1.WatchRequest;

/**
 * Real calls to a learner node's endpoints on loopback while its run trains: LearnerStream.Watch,
 * Control (pause, status, resume; a wrong token refused) and the dashboard's /metrics, at the
 * ports the node printed.
 */
final class LearnerServers {
    /** Bound on each call; a cluster step of the tiny model takes well under a second. */
    private static final long DEADLINE_SECONDS = 60;

    /** Starts what makes the run train (the role nodes) once Watch is subscribed. */
    @FunctionalInterface
    interface Starter {
        void start() throws Exception;
    }

    private LearnerServers() {}

    /**
     * Subscribes to Watch, runs {@code roles}, then, on the first live step, pauses the run,
     * reads its status and the dashboard's metrics, and resumes it.
     */
    static void checkDuringTheRun(JvmProcess learner, String token, long steps, Starter roles) throws Exception {
        String out = learner.output();
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port(out, "grpc       127.0.0.1:"))
                .usePlaintext().build();
        try {
            Iterator<LearnerEvent> watch = LearnerStreamGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(3 * DEADLINE_SECONDS, TimeUnit.SECONDS).watch(WatchRequest.getDefaultInstance());
            ControlGrpc.ControlBlockingStub control = ControlGrpc.newBlockingStub(channel)
                    .withCallCredentials(new BearerToken(token));
            roles.start();
            LearnerEvent first = watch.next();
            assertTrue(first.getStep() >= 1 && first.getStep() < steps, "a live step: " + first.getStep());
            assertEquals(RunState.PAUSED, deadline(control).pause(PauseRequest.getDefaultInstance()).getState());
            StatusResponse status = deadline(control).status(StatusRequest.getDefaultInstance());
            assertEquals("it", status.getRunId());
            assertEquals(RunState.PAUSED, status.getState());
            assertEquals(steps, status.getTotalSteps());
            assertTrue(learner.isAlive(), "the run is still on");
            HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + port(out, "dashboard  http://127.0.0.1:") + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.body().contains("troupe_learner_events_published_total"), metrics.body());
            StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
                    () -> deadline(ControlGrpc.newBlockingStub(channel).withCallCredentials(new BearerToken("wrong")))
                            .status(StatusRequest.getDefaultInstance()));
            assertEquals(Status.Code.UNAUTHENTICATED, refused.getStatus().getCode());
            assertEquals(RunState.RUNNING, deadline(control).resume(ResumeRequest.getDefaultInstance()).getState());
        } finally {
            channel.shutdownNow();
        }
    }

    private static ControlGrpc.ControlBlockingStub deadline(ControlGrpc.ControlBlockingStub stub) {
        return stub.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    /** The port after {@code prefix} in a node's log ("grpc       127.0.0.1:PORT (…"). */
    static int port(String log, String prefix) {
        Matcher m = Pattern.compile(Pattern.quote(prefix) + "(\\d+)").matcher(log);
        assertTrue(m.find(), "no '" + prefix + "PORT' in:\n" + log);
        return Integer.parseInt(m.group(1));
    }
}
