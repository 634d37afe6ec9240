package troupe.api.remote;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import troupe.proto.v1.DescribeRequest;
import troupe.proto.v1.DescribeResponse;
import troupe.proto.v1.Direction;
import troupe.proto.v1.ObjectiveSpec;
import troupe.proto.v1.RewardServiceGrpc;
import troupe.proto.v1.ScoreRequest;
import troupe.proto.v1.ScoreResponse;

/** A RewardService whose Score answers follow a script per call number, recording every request. */
final class ScriptedRewardService extends RewardServiceGrpc.RewardServiceImplBase {
    final List<ScoreRequest> requests = new CopyOnWriteArrayList<>();
    private final int maxBatchSize;
    private final Function<Integer, Object> script;

    /**
     * @param script call number (1-based) → a {@link Status} to fail with, a Long to sleep that
     *     many ms and then answer, or a float[] to answer; null = one score per item (its index)
     */
    ScriptedRewardService(int maxBatchSize, Function<Integer, Object> script) {
        this.maxBatchSize = maxBatchSize;
        this.script = script;
    }

    @Override
    public void describe(DescribeRequest req, StreamObserver<DescribeResponse> out) {
        out.onNext(DescribeResponse.newBuilder()
                .setObjective(ObjectiveSpec.newBuilder().setName("scripted").setDirection(Direction.MAXIMIZE))
                .setVersion("v7").setMaxBatchSize(maxBatchSize).build());
        out.onCompleted();
    }

    @Override
    public void score(ScoreRequest req, StreamObserver<ScoreResponse> out) {
        requests.add(req);
        Object step = script.apply(requests.size());
        if (step instanceof Status s) {
            out.onError(s.asException());
            return;
        }
        if (step instanceof Long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        ScoreResponse.Builder b = ScoreResponse.newBuilder();
        if (step instanceof float[] scores) {
            for (float f : scores) {
                b.addScores(f);
            }
        } else {
            for (int i = 0; i < req.getItemsCount(); i++) {
                b.addScores(Float.parseFloat(req.getItems(i).getResponseText()));
            }
        }
        out.onNext(b.build());
        out.onCompleted();
    }
}
