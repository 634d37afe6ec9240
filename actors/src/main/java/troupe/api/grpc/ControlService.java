package troupe.api.grpc;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import troupe.api.RunControl;
import troupe.proto.v1.AddRemoteScorerRequest;
import troupe.proto.v1.AddRemoteScorerResponse;
import troupe.proto.v1.CheckpointRequest;
import troupe.proto.v1.CheckpointResponse;
import troupe.proto.v1.ControlGrpc;
import troupe.proto.v1.ListObjectivesRequest;
import troupe.proto.v1.ListObjectivesResponse;
import troupe.proto.v1.PauseRequest;
import troupe.proto.v1.PauseResponse;
import troupe.proto.v1.RemoveScorerRequest;
import troupe.proto.v1.RemoveScorerResponse;
import troupe.proto.v1.ResumeRequest;
import troupe.proto.v1.ResumeResponse;
import troupe.proto.v1.SetWeightingRequest;
import troupe.proto.v1.SetWeightingResponse;
import troupe.proto.v1.StatusRequest;
import troupe.proto.v1.StatusResponse;
import troupe.proto.v1.StopRequest;
import troupe.proto.v1.StopResponse;

/**
 * The Control service over a {@link RunControl} port: checks arguments, converts at the edge,
 * and answers when the port's stage completes (no gRPC thread waits on the pipeline).
 * Authentication is not here: {@link TroupeGrpcServer} wraps this service in
 * {@link BearerTokenInterceptor}.
 */
public final class ControlService extends ControlGrpc.ControlImplBase {
    private final RunControl run;

    public ControlService(RunControl run) {
        this.run = run;
    }

    @Override
    public void status(StatusRequest req, StreamObserver<StatusResponse> out) {
        answer(out, run::status, ControlReplies::status);
    }

    @Override
    public void listObjectives(ListObjectivesRequest req, StreamObserver<ListObjectivesResponse> out) {
        answer(out, run::listObjectives, list -> ListObjectivesResponse.newBuilder()
                .addAllObjectives(list.stream().map(ControlReplies::objective).toList())
                .build());
    }

    @Override
    public void setWeighting(SetWeightingRequest req, StreamObserver<SetWeightingResponse> out) {
        answer(out, () -> run.setWeighting(ControlRequests.weighting(req)), ControlReplies::weighting);
    }

    @Override
    public void addRemoteScorer(AddRemoteScorerRequest req, StreamObserver<AddRemoteScorerResponse> out) {
        answer(out, () -> run.addRemoteScorer(ControlRequests.remoteScorer(req)),
                info -> AddRemoteScorerResponse.newBuilder().setObjective(ControlReplies.objective(info)).build());
    }

    @Override
    public void removeScorer(RemoveScorerRequest req, StreamObserver<RemoveScorerResponse> out) {
        answer(out, () -> run.removeScorer(ControlRequests.scorerName(req)),
                done -> RemoveScorerResponse.getDefaultInstance());
    }

    @Override
    public void pause(PauseRequest req, StreamObserver<PauseResponse> out) {
        answer(out, run::pause, s -> PauseResponse.newBuilder().setState(ControlReplies.state(s)).build());
    }

    @Override
    public void resume(ResumeRequest req, StreamObserver<ResumeResponse> out) {
        answer(out, run::resume, s -> ResumeResponse.newBuilder().setState(ControlReplies.state(s)).build());
    }

    @Override
    public void checkpoint(CheckpointRequest req, StreamObserver<CheckpointResponse> out) {
        answer(out, run::checkpoint,
                c -> CheckpointResponse.newBuilder().setPath(c.path()).setStep(c.step()).build());
    }

    @Override
    public void stop(StopRequest req, StreamObserver<StopResponse> out) {
        answer(out, () -> run.stop(req.getCheckpoint()),
                s -> StopResponse.newBuilder().setState(ControlReplies.state(s)).build());
    }

    /** Runs {@code call} (argument checks included) and completes {@code out} with its mapped result or status. */
    private static <T, R> void answer(
            StreamObserver<R> out, Supplier<CompletionStage<T>> call, Function<T, R> reply) {
        CompletionStage<T> stage;
        try {
            stage = call.get();
        } catch (RuntimeException e) {
            out.onError(ControlErrors.toStatus(e));
            return;
        }
        stage.whenComplete((value, failure) -> {
            if (failure != null) {
                out.onError(ControlErrors.toStatus(failure));
                return;
            }
            R response;
            try {
                response = reply.apply(value);
            } catch (RuntimeException e) {
                out.onError(ControlErrors.toStatus(e));
                return;
            }
            out.onNext(response);
            out.onCompleted();
        });
    }
}
