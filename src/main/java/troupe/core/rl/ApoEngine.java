package troupe.core.rl;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import troupe.core.algo.preference.ApoExtrapolation;
import troupe.core.engine.StepResult;
import troupe.core.engine.WeightUpdate;
import troupe.core.model.snapshot.SnapshotEncoding;
import troupe.core.model.snapshot.WeightSnapshot;
import troupe.core.model.train.TrainablePolicy;
import troupe.core.reward.Objective;
import troupe.core.rollout.RolloutBatch;

/**
 * APO (He, Yuan, Gu, arXiv 2410.06293; {@link ApoExtrapolation}, ALGORITHMS.md §10): online DPO
 * against an anchor for {@code iteration-steps} steps, then the momentum step
 * θ̂ = θ_{t+1} + α(θ_{t+1} − θ_t) replaces the policy and becomes the next anchor. The learner
 * hands θ̂ to the reference role ({@link #takeReferenceUpdate}) before the next batch is admitted.
 *
 * <p>A batch sampled before the boundary (only with max-policy-lag ≥ 1) carries the previous
 * anchor's reference log-probs: it trains no pair (its groups count as skipped) rather than mix
 * two references in one loss.
 *
 * <p>AdamW's moments and step count are kept across a boundary. The learning-rate schedule runs
 * over the whole run, and resetting the moments would make the first update of every iteration a
 * sign-like step of full learning rate (bias-corrected m/√v of one gradient) right after the
 * largest weight change of the run; the moments describe the gradient scale, which the shift does
 * not change much. α = 0 is then iterative DPO with one optimizer over the iterations.
 *
 * <p>Memory: two host copies of the weights in float32 (θ_t, and the anchor for a checkpoint),
 * both written beside the policy in a checkpoint.
 */
final class ApoEngine extends OnlineDpoEngine {
    private static final String PREVIOUS_FILE = "apo-previous.snapshot";
    private static final String ANCHOR_FILE = "apo-anchor.snapshot";

    private final double alpha;
    private final int iterationSteps;
    /** θ_t: the previous iteration's trained weights (the initial weights in the first iteration). */
    private WeightSnapshot previous;
    /** The anchor the reference holds, null while it is the initial policy. */
    private WeightSnapshot anchor;
    private long iteration;
    private int stepsInIteration;
    private boolean boundary;
    private boolean referencePending;
    private int droppedPairs;

    ApoEngine(TrainablePolicy policy, LearnerSettings settings, LearnerAlgorithm.Apo algorithm,
            List<Objective> objectives, NDManager manager) {
        super(LearnerAlgorithm.APO, policy, settings, algorithm.pairs(), objectives, manager);
        this.alpha = algorithm.alpha();
        this.iterationSteps = algorithm.iterationSteps();
        this.previous = WeightSnapshot.export(policy.model().parameters(), version, SnapshotEncoding.F32);
    }

    @Override
    StepInput.PairwisePreference pairInput(RolloutBatch batch, LearnerBatch b, double temperature,
            PreferencePairs.Selection selection, double[] scalar) {
        boolean staleAnchor = anchor != null && batch.policyVersion() < anchor.version();
        droppedPairs = staleAnchor ? selection.pairs().size() : 0;
        return new StepInput.PairwisePreference(b, temperature, staleAnchor ? List.of() : selection.pairs(), scalar);
    }

    @Override
    void afterOptimise(RolloutBatch batch) {
        boundary = ++stepsInIteration == iterationSteps;
        if (!boundary) {
            return;
        }
        WeightSnapshot trained = WeightSnapshot.export(policy.model().parameters(), version, SnapshotEncoding.F32);
        ApoExtrapolation.extrapolate(previous.decode(), trained.decode(), alpha)
                .forEach(policy.model().parameters()::copyInto);
        previous = trained;
        anchor = WeightSnapshot.export(policy.model().parameters(), version, SnapshotEncoding.F32);
        iteration++;
        stepsInIteration = 0;
        referencePending = true;
    }

    @Override
    public Optional<WeightUpdate> takeReferenceUpdate() {
        if (!referencePending) {
            return Optional.empty();
        }
        referencePending = false;
        return Optional.of(WeightUpdates.of(anchor, settings.chunkBytes()));
    }

    @Override
    StepResult.Preference decorate(StepResult.Preference p) {
        StepResult.Preference out = droppedPairs == 0 ? p : new StepResult.Preference(p.loss(), p.value(),
                p.rewardAccuracy(), p.chosenReward(), p.rejectedReward(), p.margin(), p.pairs(),
                p.skipped() + droppedPairs, p.ranking(), p.family());
        return out.withFamily(new StepResult.Family(LearnerAlgorithm.APO, Double.NaN, Double.NaN, iteration,
                boundary, 0));
    }

    @Override
    void saveState(JsonObject state) {
        super.saveState(state);
        state.addProperty("apoIteration", iteration);
        state.addProperty("apoStepsInIteration", stepsInIteration);
    }

    @Override
    void restoreState(JsonObject state) {
        super.restoreState(state);
        iteration = state.get("apoIteration").getAsLong();
        stepsInIteration = state.get("apoStepsInIteration").getAsInt();
    }

    @Override
    public void saveCheckpoint(Path dir) throws IOException {
        super.saveCheckpoint(dir);
        Files.write(dir.resolve(PREVIOUS_FILE), previous.toBytes());
        if (anchor != null) {
            Files.write(dir.resolve(ANCHOR_FILE), anchor.toBytes());
        }
    }

    /** A resumed run's reference starts as the initial policy again: it is sent the saved anchor. */
    @Override
    public void restore(Path dir) throws IOException {
        super.restore(dir);
        previous = WeightSnapshot.fromBytes(Files.readAllBytes(dir.resolve(PREVIOUS_FILE)));
        Path a = dir.resolve(ANCHOR_FILE);
        anchor = Files.exists(a) ? WeightSnapshot.fromBytes(Files.readAllBytes(a)) : null;
        referencePending = anchor != null;
    }
}
