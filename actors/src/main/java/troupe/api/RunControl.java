package troupe.api;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The steering port of a running job: what the {@code Control} gRPC service (and anything else
 * that steers a run) asks of the pipeline. The pipeline implements it; the gRPC edge validates
 * arguments, converts proto messages to these domain values and back, and maps failures to
 * status codes.
 *
 * <p>Every method answers asynchronously so an implementation can ask its actors (ask pattern)
 * without blocking a gRPC thread. To reject a call, complete the stage exceptionally with a
 * {@link ControlException} (its kind picks the status code and its field is named in the
 * description); any other exception becomes INTERNAL.
 */
public interface RunControl {

    /** Run state, progress and the live nodes per role. */
    CompletionStage<RunStatus> status();

    /** Every objective with its current weight, state and source. */
    CompletionStage<List<ObjectiveInfo>> listObjectives();

    /**
     * Switches the weighting strategy or sets fixed weights, from the next step on. Unknown
     * strategy names or fixed weights that do not name every active objective are rejected with
     * {@link ControlException#invalid}.
     */
    CompletionStage<WeightingState> setWeighting(WeightingChange change);

    /**
     * Adds a RewardService server as a scorer; it joins the reward stage from the next batch.
     * {@link troupe.api.remote.RemoteRewardScorer#connect} does the Describe call and returns a
     * ready {@link troupe.core.reward.RewardScorer}. A name that collides with a live objective
     * is rejected with {@link ControlException#alreadyExists}.
     */
    CompletionStage<ObjectiveInfo> addRemoteScorer(RemoteScorerSpec spec);

    /** Removes a scorer (local or remote); {@link ControlException#notFound} for an unknown name. */
    CompletionStage<Void> removeScorer(String name);

    /** Stops sampling new batches; in-flight work finishes. Answers the state after the call. */
    CompletionStage<RunState> pause();

    CompletionStage<RunState> resume();

    /** Writes a checkpoint now (atomically) and answers where. */
    CompletionStage<CheckpointInfo> checkpoint();

    /** Stops the run, checkpointing first when asked; the process exits after coordinated shutdown. */
    CompletionStage<RunState> stop(boolean checkpointFirst);
}
