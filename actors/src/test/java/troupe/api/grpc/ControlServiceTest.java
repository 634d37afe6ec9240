package troupe.api.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import troupe.api.FakeRunControl;
import troupe.api.LearnerEventHub;
import troupe.api.RemoteScorerSpec;
import troupe.api.WeightingChange;
import troupe.proto.v1.AddRemoteScorerRequest;
import troupe.proto.v1.CheckpointRequest;
import troupe.proto.v1.ControlGrpc;
import troupe.proto.v1.Direction;
import troupe.proto.v1.FixedWeights;
import troupe.proto.v1.ListObjectivesRequest;
import troupe.proto.v1.PauseRequest;
import troupe.proto.v1.RemoveScorerRequest;
import troupe.proto.v1.ResumeRequest;
import troupe.proto.v1.RunState;
import troupe.proto.v1.ScorerState;
import troupe.proto.v1.SetWeightingRequest;
import troupe.proto.v1.StatusRequest;
import troupe.proto.v1.StatusResponse;
import troupe.proto.v1.StopRequest;

class ControlServiceTest {
    private FakeRunControl run;
    private InProcessTroupe troupe;
    private ControlGrpc.ControlBlockingStub control;

    @BeforeEach
    void start() throws Exception {
        run = new FakeRunControl();
        troupe = new InProcessTroupe(new LearnerEventHub(10, 10), run);
        control = troupe.control();
    }

    @AfterEach
    void stop() {
        troupe.close();
    }

    private static Status failure(Status.Code code, Executable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(code, e.getStatus().getCode(), String.valueOf(e.getStatus()));
        return e.getStatus();
    }

    @Test
    void statusReportsTheRun() {
        StatusResponse s = control.status(StatusRequest.getDefaultInstance());
        assertEquals("run-1", s.getRunId());
        assertEquals(RunState.RUNNING, s.getState());
        assertEquals(12, s.getStep());
        assertEquals(100, s.getTotalSteps());
        assertEquals("learner", s.getRoles(0).getRole());
        assertEquals("local", s.getRoles(0).getNodes(0));
        assertEquals(1.5, s.getUptimeSeconds(), 1e-9);
        assertEquals("runs/run-1/checkpoints/10", s.getLastCheckpoint());
    }

    @Test
    void listObjectivesShowsWeightStateAndSource() {
        var list = control.listObjectives(ListObjectivesRequest.getDefaultInstance()).getObjectivesList();
        assertEquals(2, list.size());
        assertEquals("correct", list.get(0).getSpec().getName());
        assertEquals(Direction.MAXIMIZE, list.get(0).getSpec().getDirection());
        assertEquals(Direction.MINIMIZE, list.get(1).getSpec().getDirection());
        assertEquals(0.5, list.get(1).getWeight());
        assertEquals(ScorerState.ACTIVE, list.get(1).getState());
        assertEquals("local:Length", list.get(1).getSource());
        assertEquals(1, list.get(1).getFaults());
    }

    @Test
    void setWeightingSwitchesStrategyOrSetsFixedWeights() {
        var r = control.setWeighting(SetWeightingRequest.newBuilder().setStrategy("maxmin").build());
        assertEquals("maxmin", r.getStrategy());
        assertEquals(new WeightingChange.Strategy("maxmin"), run.calls.get(0));

        var fixed = control.setWeighting(SetWeightingRequest.newBuilder()
                .setFixed(FixedWeights.newBuilder().putWeights("correct", 3).putWeights("length", 1)).build());
        assertEquals("fixed", fixed.getStrategy());
        assertEquals(Map.of("correct", 0.75, "length", 0.25), fixed.getWeightsMap());
    }

    @Test
    void setWeightingRejectsBadArgumentsNamingTheField() {
        assertTrue(failure(Status.Code.INVALID_ARGUMENT, () -> control.setWeighting(SetWeightingRequest.getDefaultInstance()))
                .getDescription().startsWith("weighting: "));
        assertTrue(failure(Status.Code.INVALID_ARGUMENT, () -> control.setWeighting(
                SetWeightingRequest.newBuilder().setStrategy("bogus").build()))
                .getDescription().startsWith("strategy: unknown 'bogus'; supported: [fixed, hypervolume, maxmin]"));
        assertTrue(failure(Status.Code.INVALID_ARGUMENT, () -> control.setWeighting(SetWeightingRequest.newBuilder()
                .setFixed(FixedWeights.newBuilder().putWeights("correct", -1).putWeights("length", 1)).build()))
                .getDescription().startsWith("fixed.weights[correct]: must be a finite number >= 0"));
        assertTrue(failure(Status.Code.INVALID_ARGUMENT, () -> control.setWeighting(SetWeightingRequest.newBuilder()
                .setFixed(FixedWeights.newBuilder().putWeights("correct", 1)).build()))
                .getDescription().startsWith("fixed.weights: must name every active objective"));
    }

    @Test
    void addRemoteScorerPassesAValidatedSpec() {
        var r = control.addRemoteScorer(AddRemoteScorerRequest.newBuilder().setName("polite").setTarget("scorer.lan:50051")
                .setDirection(Direction.MINIMIZE).setDeadlineMillis(2500).setInitialWeight(0.2).build());
        assertEquals("polite", r.getObjective().getSpec().getName());
        assertEquals(Direction.MINIMIZE, r.getObjective().getSpec().getDirection());
        assertEquals(ScorerState.JOINING, r.getObjective().getState());
        assertEquals("remote:scorer.lan:50051", r.getObjective().getSource());
        RemoteScorerSpec spec = assertInstanceOf(RemoteScorerSpec.class, run.calls.get(0));
        assertEquals("scorer.lan", spec.target().host());
        assertEquals(50051, spec.target().port());
        assertEquals(Duration.ofMillis(2500), spec.deadline().orElseThrow());
        assertEquals(0.2, spec.initialWeight().orElseThrow());

        control.addRemoteScorer(AddRemoteScorerRequest.newBuilder().setName("bare").setTarget("[::1]:7").build());
        RemoteScorerSpec bare = (RemoteScorerSpec) run.calls.get(1);
        assertTrue(bare.direction().isEmpty() && bare.deadline().isEmpty() && bare.initialWeight().isEmpty());
        assertEquals("::1", bare.target().host());
    }

    @Test
    void addRemoteScorerRejectsBadArgumentsNamingTheField() {
        AddRemoteScorerRequest ok = AddRemoteScorerRequest.newBuilder().setName("polite").setTarget("localhost:1").build();
        assertTrue(failure(Status.Code.INVALID_ARGUMENT, () -> control.addRemoteScorer(ok.toBuilder().setTarget("nohost").build()))
                .getDescription().startsWith("target: must be host:port"));
        assertTrue(failure(Status.Code.INVALID_ARGUMENT, () -> control.addRemoteScorer(ok.toBuilder().setTarget("h:99999").build()))
                .getDescription().startsWith("target: must be host:port"));
        assertTrue(failure(Status.Code.INVALID_ARGUMENT, () -> control.addRemoteScorer(ok.toBuilder().setName("has space").build()))
                .getDescription().startsWith("name: "));
        assertTrue(failure(Status.Code.INVALID_ARGUMENT, () -> control.addRemoteScorer(ok.toBuilder().setDeadlineMillis(600_001).build()))
                .getDescription().startsWith("deadline_millis: must be in 1..600000"));
        assertTrue(failure(Status.Code.INVALID_ARGUMENT, () -> control.addRemoteScorer(ok.toBuilder().setInitialWeight(1.0).build()))
                .getDescription().startsWith("initial_weight: must be in [0, 1)"));
        assertTrue(failure(Status.Code.ALREADY_EXISTS, () -> control.addRemoteScorer(ok.toBuilder().setName("length").build()))
                .getDescription().startsWith("name: "));
        assertTrue(run.calls.stream().noneMatch(c -> c instanceof RemoteScorerSpec s && s.name().orElse("").equals("polite")),
                "no invalid request reached the run");
    }

    @Test
    void removeScorerRemovesOrAnswersNotFound() {
        control.removeScorer(RemoveScorerRequest.newBuilder().setName("length").build());
        assertEquals(1, control.listObjectives(ListObjectivesRequest.getDefaultInstance()).getObjectivesCount());
        Status s = failure(Status.Code.NOT_FOUND, () -> control.removeScorer(RemoveScorerRequest.newBuilder().setName("nope").build()));
        assertEquals("name: no live objective 'nope'", s.getDescription());
        assertTrue(failure(Status.Code.INVALID_ARGUMENT, () -> control.removeScorer(RemoveScorerRequest.getDefaultInstance()))
                .getDescription().startsWith("name: "));
    }

    @Test
    void pauseResumeCheckpointAndStopDriveTheRun() {
        assertEquals(RunState.PAUSED, control.pause(PauseRequest.getDefaultInstance()).getState());
        assertEquals(RunState.RUNNING, control.resume(ResumeRequest.getDefaultInstance()).getState());
        var cp = control.checkpoint(CheckpointRequest.getDefaultInstance());
        assertEquals("runs/run-1/checkpoints/12", cp.getPath());
        assertEquals(12, cp.getStep());
        assertEquals(RunState.STOPPING, control.stop(StopRequest.newBuilder().setCheckpoint(true).build()).getState());
        assertEquals("stop true", run.calls.get(run.calls.size() - 1));
        failure(Status.Code.FAILED_PRECONDITION, () -> control.resume(ResumeRequest.getDefaultInstance()));
    }

    @Test
    void missingTokenIsUnauthenticatedAndNeverReachesTheRun() {
        var anonymous = ControlGrpc.newBlockingStub(troupe.channel);
        Status s = failure(Status.Code.UNAUTHENTICATED, () -> anonymous.pause(PauseRequest.getDefaultInstance()));
        assertTrue(s.getDescription().contains("Bearer"), s.getDescription());
        assertTrue(run.calls.isEmpty());
    }

    @Test
    void wrongTokenIsUnauthenticated() {
        var wrong = ControlGrpc.newBlockingStub(troupe.channel).withCallCredentials(new BearerToken("guess"));
        assertEquals("wrong bearer token",
                failure(Status.Code.UNAUTHENTICATED, () -> wrong.stop(StopRequest.getDefaultInstance())).getDescription());
        assertTrue(run.calls.isEmpty());
    }

    @Test
    void failureInsideTheRunIsInternal() {
        var broken = new FakeRunControl() {
            @Override
            public java.util.concurrent.CompletionStage<troupe.api.CheckpointInfo> checkpoint() {
                return java.util.concurrent.CompletableFuture.failedFuture(new java.io.UncheckedIOException(
                        new java.io.IOException("disk full")));
            }
        };
        try (InProcessTroupe t = new InProcessTroupe(new LearnerEventHub(1, 1), broken)) {
            Status s = failure(Status.Code.INTERNAL, () -> t.control().checkpoint(CheckpointRequest.getDefaultInstance()));
            assertTrue(s.getDescription().contains("disk full"), s.getDescription());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
