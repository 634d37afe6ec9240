package troupe.api.remote;

import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import troupe.api.RemoteScorerSpec;
import troupe.api.grpc.GrpcTransport;
import troupe.api.grpc.RewardMapping;
import troupe.core.reward.Objective;
import troupe.core.reward.RewardScorer;
import troupe.core.reward.ScoreInput;
import troupe.core.reward.ScorerFault;
import troupe.proto.v1.DescribeRequest;
import troupe.proto.v1.DescribeResponse;
import troupe.proto.v1.RewardServiceGrpc;
import troupe.proto.v1.ScoreRequest;
import troupe.proto.v1.ScoreResponse;

/**
 * A {@link RewardScorer} whose scores come from a RewardService server, used exactly like a
 * local scorer. {@link #connect} calls Describe once; {@link #score} sends the batch (split into
 * chunks of the server's {@code max_batch_size}), each chunk with a deadline and bounded retries.
 * Every failure is a {@link RemoteScorerException} carrying the fault kind the reward stage
 * records when it quarantines the scorer for the batch.
 *
 * <p>Owns its channel: {@link #close} it when the scorer is removed.
 */
public final class RemoteRewardScorer implements RewardScorer, AutoCloseable {
    private final ManagedChannel channel;
    private final RewardServiceGrpc.RewardServiceBlockingStub stub;
    private final Objective objective;
    private final String version;
    private final int maxBatchSize;
    private final RemoteScorerSettings settings;
    private final String runId;
    // Stands in for the batch id the RewardScorer interface does not pass: unique per call,
    // shared by the retries of one call, so a server can deduplicate as reward.proto promises.
    private final AtomicLong calls = new AtomicLong();

    private RemoteRewardScorer(ManagedChannel channel, Objective objective, DescribeResponse described,
            RemoteScorerSettings settings, String runId) {
        this.channel = channel;
        this.stub = RewardServiceGrpc.newBlockingStub(channel);
        this.objective = objective;
        this.version = described.getVersion();
        this.maxBatchSize = described.getMaxBatchSize();
        this.settings = settings;
        this.runId = runId;
    }

    /** Opens a plaintext channel to {@code spec.target()} and {@linkplain #connect(ManagedChannel, RemoteScorerSpec,
     * RemoteScorerSettings, String) connects} over it. */
    public static RemoteRewardScorer connect(RemoteScorerSpec spec, RemoteScorerSettings settings, String runId) {
        return connect(GrpcTransport.channel(spec.target(), Optional.empty()), spec, settings, runId);
    }

    /**
     * Calls Describe (with retries) and applies the spec's name, direction and deadline
     * overrides. Takes ownership of {@code channel}: it is shut down if this fails.
     *
     * @throws RemoteScorerException when Describe fails or reports no usable objective
     */
    public static RemoteRewardScorer connect(
            ManagedChannel channel, RemoteScorerSpec spec, RemoteScorerSettings settings, String runId) {
        try {
            RewardServiceGrpc.RewardServiceBlockingStub stub = RewardServiceGrpc.newBlockingStub(channel);
            long describeMillis = settings.describeDeadline().toMillis();
            DescribeResponse d = Retrying.call("Describe " + spec.target(), settings,
                    () -> stub.withDeadlineAfter(describeMillis, TimeUnit.MILLISECONDS)
                            .describe(DescribeRequest.getDefaultInstance()));
            Objective reported;
            try {
                reported = new Objective(
                        spec.name().orElse(d.getObjective().getName()),
                        spec.direction().orElseGet(() -> RewardMapping.objective(d.getObjective()).direction()),
                        d.getObjective().getDescription());
            } catch (IllegalArgumentException e) {
                throw new RemoteScorerException(ScorerFault.Kind.EXCEPTION,
                        spec.target() + " described an unusable objective: " + e.getMessage(), e);
            }
            RemoteScorerSettings effective = spec.deadline().map(settings::withDeadline).orElse(settings);
            return new RemoteRewardScorer(channel, reported, d, effective, runId);
        } catch (RuntimeException e) {
            channel.shutdownNow();
            throw e;
        }
    }

    @Override
    public Objective objective() {
        return objective;
    }

    /** The scorer's version as Describe reported it. */
    public String version() {
        return version;
    }

    public Duration deadline() {
        return settings.deadline();
    }

    /** "remote:&lt;host:port&gt;", the source shown by ListObjectives. */
    public String source() {
        return "remote:" + channel.authority();
    }

    @Override
    public float[] score(List<ScoreInput> batch) {
        long batchId = calls.incrementAndGet();
        float[] out = new float[batch.size()];
        int chunk = maxBatchSize > 0 ? maxBatchSize : Math.max(1, batch.size());
        for (int from = 0; from < batch.size(); from += chunk) {
            List<ScoreInput> part = batch.subList(from, Math.min(batch.size(), from + chunk));
            float[] scores = scoreChunk(batchId, part);
            System.arraycopy(scores, 0, out, from, scores.length);
        }
        return out;
    }

    private float[] scoreChunk(long batchId, List<ScoreInput> part) {
        ScoreRequest.Builder req = ScoreRequest.newBuilder().setRunId(runId).setBatchId(batchId);
        part.forEach(in -> req.addItems(RewardMapping.item(in)));
        ScoreRequest request = req.build();
        long millis = settings.deadline().toMillis();
        // A fresh deadline per attempt: a retry after a slow attempt gets the full budget again.
        ScoreResponse resp = Retrying.call("Score on " + channel.authority(), settings,
                () -> stub.withDeadlineAfter(millis, TimeUnit.MILLISECONDS).score(request));
        if (resp.getScoresCount() != part.size()) {
            throw new RemoteScorerException(ScorerFault.Kind.WRONG_COUNT, objective.name() + ": "
                    + resp.getScoresCount() + " scores for " + part.size() + " items", null);
        }
        float[] scores = new float[part.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = resp.getScores(i);
            if (!Float.isFinite(scores[i])) {
                throw new RemoteScorerException(ScorerFault.Kind.NON_FINITE,
                        objective.name() + ": score " + scores[i] + " for item " + i, null);
            }
        }
        return scores;
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }
}
