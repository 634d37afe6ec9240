package troupe.core.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import troupe.core.reward.Objective;
import troupe.core.rollout.RolloutBatch;

/**
 * The learner's compute: trainable policy, optimizer, weighting-strategy state, advantage
 * estimator, KL controller. Owned by one Learner actor, which owns the step counter and decides
 * which batches are trained (stale ones are dropped before they get here).
 *
 * <p>Objectives: before training a batch the actor makes the engine's objective set match the
 * batch — {@link #addObjective} for a column the engine has not seen, {@link #removeObjective}
 * for one whose scorer left the run. A column absent because its scorer faulted on this batch
 * (listed in {@link RolloutBatch#faults()}) is not removed: its weighting state is kept.
 */
public interface LearnerEngine {

    /**
     * Weights the reference role must load before it scores the next batch, once, after the
     * {@link #train} (or restore) that made them; empty for algorithms whose reference stays the
     * initial policy. APO's iteration boundary sets one (its anchor, also the step's weights).
     */
    default java.util.Optional<WeightUpdate> takeReferenceUpdate() {
        return java.util.Optional.empty();
    }

    /** Version of the current policy weights, ≥ 0; {@link #train} increases it by one. */
    long policyVersion();

    /** The current weights, for generators that join or start; same encoding as {@link StepResult#weights()}. */
    WeightUpdate currentWeights();

    /**
     * One optimisation step (all PPO epochs / mini-batches of it) on a batch that has rewards and
     * reference log-probs.
     *
     * @param step the 1-based step number the actor assigns (for schedules and logging)
     * @param batch scored and referenced; its policy version is within the run's max-policy-lag
     * @return every metric of the step, the new policy version and the weights for generators
     */
    StepResult train(long step, RolloutBatch batch);

    /**
     * Wall-clock milliseconds of named phases inside the last {@link #train} (e.g. "advantages",
     * "optimizer"), for the stage timings of its event; empty when the engine does not time them.
     */
    default Map<String, Double> lastPhaseMillis() {
        return Map.of();
    }

    /**
     * The scalarised reward of each sample of the last {@link #train}'s batch, in sample order (what
     * the advantage estimator was given), for the sample responses of its event; empty when the
     * engine does not keep them.
     */
    default double[] lastScalarRewards() {
        return new double[0];
    }

    /** Objectives the weighting state currently holds, in the engine's order. */
    List<Objective> objectives();

    /**
     * Adds an objective; its weight enters the simplex from the next {@link #train}, at
     * {@code initialShare} when given (Control.AddRemoteScorer's initial_weight) or else the
     * configured new-objective-share. No-op if present.
     */
    void addObjective(Objective objective, java.util.OptionalDouble initialShare);

    /** Removes an objective and its weighting state; the remaining weights are renormalised. No-op if absent. */
    void removeObjective(String name);

    /**
     * Replaces the weighting strategy from the next {@link #train} on (Control.SetWeighting): the
     * registered {@code strategy}, built with its configured settings over the current
     * objectives, with fresh state. {@code initialWeights}, when not empty, must name exactly the
     * current objectives and set where the weights start — for the fixed-linear strategy, the
     * weights themselves; they are renormalised to sum 1.
     *
     * @return the weights in force, by objective name
     * @throws IllegalArgumentException for an unknown strategy (the message lists the supported
     *     ones) or weights that do not name exactly the current objectives
     */
    Map<String, Double> setWeighting(String strategy, Map<String, Double> initialWeights);

    /**
     * Writes everything needed to continue training (weights, optimizer moments, weighting and
     * normaliser state, KL controller, RNG state) into {@code dir}, which exists and is empty.
     * The actor makes the write atomic by writing to a temporary folder and renaming it.
     */
    void saveCheckpoint(Path dir) throws IOException;

    /** Loads what {@link #saveCheckpoint} wrote; afterwards {@link #policyVersion()} is the saved one. */
    void restore(Path dir) throws IOException;
}
