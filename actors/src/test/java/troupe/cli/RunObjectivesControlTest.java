package troupe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import troupe.api.remote.RewardScorerService;
import troupe.api.remote.TestScorerFactory;
import troupe.proto.v1.AddRemoteScorerRequest;
import troupe.proto.v1.AddRemoteScorerResponse;
import troupe.proto.v1.FixedWeights;
import troupe.proto.v1.LearnerEvent;
import troupe.proto.v1.ListObjectivesRequest;
import troupe.proto.v1.ObjectiveInfo;
import troupe.proto.v1.ObjectiveStats;
import troupe.proto.v1.RemoveScorerRequest;
import troupe.proto.v1.ScorerState;
import troupe.proto.v1.SetWeightingRequest;
import troupe.proto.v1.StopRequest;

/** Objectives of a real `troupe run` steered over Control: fixed weights, a remote scorer joining and leaving. */
class RunObjectivesControlTest {

    @TempDir
    Path dir;

    private static List<String> names(LearnerEvent e) {
        return e.getObjectivesList().stream().map(ObjectiveStats::getName).toList();
    }

    private static double weight(LearnerEvent e, String name) {
        return e.getObjectivesList().stream().filter(o -> o.getName().equals(name)).findFirst().orElseThrow()
                .getWeight();
    }

    /** The first event after {@code afterStep} for which {@code test} holds, within {@code steps} steps. */
    private static LearnerEvent within(RunControlTest.Watcher w, long afterStep, int steps,
            java.util.function.Predicate<LearnerEvent> test) throws InterruptedException {
        while (true) {
            LearnerEvent e = w.next();
            if (e.getStep() <= afterStep) {
                continue;
            }
            if (test.test(e)) {
                return e;
            }
            assertTrue(e.getStep() < afterStep + steps, "not seen by step " + e.getStep() + " (asked after "
                    + afterStep + "): " + e.getObjectivesList());
        }
    }

    @Test
    @Timeout(120)
    void fixedWeightsShowInTheNextEventsAndARemoteScorerJoinsAndLeaves() throws Exception {
        Server rewards = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new RewardScorerService(new TestScorerFactory.LengthScorer(), "1.0")).build().start();
        try (LiveRun run = LiveRun.start(dir, "objectives", 500, "")) {
            RunControlTest.Watcher w = RunControlTest.watch(run);
            w.next();

            var set = run.control().setWeighting(SetWeightingRequest.newBuilder().setFixed(FixedWeights.newBuilder()
                    .putWeights("correctness", 9).putWeights("brevity", 1)).build());
            assertEquals("fixed-linear", set.getStrategy());
            assertEquals(0.9, set.getWeightsMap().get("correctness"), 1e-9);
            long applied = RunControlTest.step(run); // every step trained from here on has the new weights
            LearnerEvent fixed = within(w, applied, 3, e -> Math.abs(weight(e, "correctness") - 0.9) < 1e-9);
            assertEquals(0.1, weight(fixed, "brevity"), 1e-9);
            assertEquals("fixed-linear", fixed.getWeightingStrategy());

            StatusRuntimeException bad = assertThrows(StatusRuntimeException.class, () -> run.control()
                    .setWeighting(SetWeightingRequest.newBuilder().setStrategy("no-such").build()));
            assertEquals(Status.Code.INVALID_ARGUMENT, bad.getStatus().getCode());
            assertTrue(bad.getStatus().getDescription().startsWith("strategy:"), bad.getStatus().getDescription());

            AddRemoteScorerResponse added = run.control().addRemoteScorer(AddRemoteScorerRequest.newBuilder()
                    .setTarget("127.0.0.1:" + rewards.getPort()).setInitialWeight(0.25).build());
            assertEquals("test-length", added.getObjective().getSpec().getName());
            assertEquals(ScorerState.JOINING, added.getObjective().getState());
            LearnerEvent joined = within(w, RunControlTest.step(run), 3, e -> names(e).contains("test-length"));
            // initial_weight 0.25: the fixed 0.9 / 0.1 shrink to 0.675 / 0.075
            assertEquals(0.25, weight(joined, "test-length"), 1e-9);
            assertEquals(0.675, weight(joined, "correctness"), 1e-9);
            ObjectiveInfo listed = run.control().listObjectives(ListObjectivesRequest.getDefaultInstance())
                    .getObjectivesList().stream().filter(o -> o.getSpec().getName().equals("test-length"))
                    .findFirst().orElseThrow();
            assertEquals("remote:127.0.0.1:" + rewards.getPort(), listed.getSource());

            StatusRuntimeException twice = assertThrows(StatusRuntimeException.class, () -> run.control()
                    .addRemoteScorer(AddRemoteScorerRequest.newBuilder()
                            .setTarget("127.0.0.1:" + rewards.getPort()).build()));
            assertEquals(Status.Code.ALREADY_EXISTS, twice.getStatus().getCode());

            run.control().removeScorer(RemoveScorerRequest.newBuilder().setName("test-length").build());
            within(w, RunControlTest.step(run), 3, e -> !names(e).contains("test-length"));
            StatusRuntimeException gone = assertThrows(StatusRuntimeException.class, () -> run.control()
                    .removeScorer(RemoveScorerRequest.newBuilder().setName("test-length").build()));
            assertEquals(Status.Code.NOT_FOUND, gone.getStatus().getCode());

            run.control().stop(StopRequest.getDefaultInstance());
            assertEquals(0, run.status.get(60, TimeUnit.SECONDS), run.err.toString());
        } finally {
            rewards.shutdownNow();
        }
    }
}
