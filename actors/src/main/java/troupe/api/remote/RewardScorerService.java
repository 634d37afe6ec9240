package troupe.api.remote;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import troupe.api.grpc.RewardMapping;
import troupe.core.reward.RewardScorer;
import troupe.core.reward.ScoreInput;
import troupe.proto.v1.DescribeRequest;
import troupe.proto.v1.DescribeResponse;
import troupe.proto.v1.RewardServiceGrpc;
import troupe.proto.v1.ScoreRequest;
import troupe.proto.v1.ScoreResponse;

/**
 * Serves any {@link RewardScorer} as a RewardService, so a scorer can run on another machine
 * (the {@code troupe reward-server} command). Calls into the scorer are serialised: the
 * RewardScorer contract allows one caller at a time.
 */
public final class RewardScorerService extends RewardServiceGrpc.RewardServiceImplBase {
    private static final Logger log = LoggerFactory.getLogger(RewardScorerService.class);

    private final RewardScorer scorer;
    private final String version;

    /** @param version free-form scorer version shown in listings */
    public RewardScorerService(RewardScorer scorer, String version) {
        this.scorer = scorer;
        this.version = version;
    }

    @Override
    public void describe(DescribeRequest req, StreamObserver<DescribeResponse> out) {
        out.onNext(DescribeResponse.newBuilder()
                .setObjective(RewardMapping.spec(scorer.objective()))
                .setVersion(version)
                .build());
        out.onCompleted();
    }

    @Override
    public void score(ScoreRequest req, StreamObserver<ScoreResponse> out) {
        if (req.getItemsCount() == 0) {
            out.onError(Status.INVALID_ARGUMENT.withDescription("items: must not be empty").asException());
            return;
        }
        List<ScoreInput> batch = req.getItemsList().stream().map(RewardMapping::input).toList();
        float[] scores;
        try {
            synchronized (scorer) {
                scores = scorer.score(batch);
            }
        } catch (IllegalArgumentException e) {
            out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asException());
            return;
        } catch (RuntimeException e) {
            log.warn("scorer {} failed on batch {} of run {}", scorer.objective().name(), req.getBatchId(), req.getRunId(), e);
            out.onError(Status.INTERNAL.withDescription("scorer failed: " + e).asException());
            return;
        }
        ScoreResponse.Builder b = ScoreResponse.newBuilder();
        for (float s : scores) {
            b.addScores(s);
        }
        out.onNext(b.build());
        out.onCompleted();
    }
}
