package troupe.core.engine;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import troupe.core.reward.Direction;

/**
 * Everything one learner step measured, in domain terms; the actor layer adds what only it
 * knows (step number, policy lag, stale batches, throughput, stage timings, faults) and converts
 * the whole to a {@code LearnerEvent} at the edge. Units and ranges follow {@code learner.proto}.
 *
 * @param policyVersion version of the weights after this step
 * @param weights those weights, for the generators
 * @param objectives per-objective statistics, in the engine's objective order
 * @param weightingStrategy registry name of the weighting strategy in force
 * @param scalarRewardMean mean scalarised reward fed to the advantage estimator
 * @param rewardMultiplier hypervolume-guided multiplier in [0.5, 2); 1 for other strategies
 * @param hypervolume of the Pareto front against the run's reference point, ≥ 0
 * @param paretoFront the batch means of the non-dominated steps since the objective set last changed,
 *     values in the order of the trained batch's {@code RolloutBatch.objectives()} (not {@code objectives}),
 *     MINIMIZE objectives negated so larger is better on every axis
 * @param zeroVarianceGroupFraction fraction of groups whose rewards were all equal, [0, 1]
 * @param preference pairs and implicit rewards of a preference step (online DPO); empty for
 *     policy-gradient steps
 * @param ranking RAFT's selection or PRO's listwise numbers; empty for other algorithms
 * @param critic the value head's numbers (PPO-GAE); {@link Critic#NONE} without a critic
 * @param shaping what was done to the rewards before advantages (KL in the reward, overlong)
 */
public record StepResult(
        long policyVersion,
        WeightUpdate weights,
        List<ObjectiveStat> objectives,
        String weightingStrategy,
        double scalarRewardMean,
        double rewardMultiplier,
        double hypervolume,
        List<ParetoPoint> paretoFront,
        double zeroVarianceGroupFraction,
        Kl kl,
        Entropy entropy,
        Loss loss,
        Clip clip,
        Lengths lengths,
        Critic critic,
        Shaping shaping,
        Optional<Preference> preference,
        Optional<Ranking> ranking) {

    /** A step without ranking metrics (every algorithm but RAFT and PRO). */
    public StepResult(long policyVersion, WeightUpdate weights, List<ObjectiveStat> objectives,
            String weightingStrategy, double scalarRewardMean, double rewardMultiplier, double hypervolume,
            List<ParetoPoint> paretoFront, double zeroVarianceGroupFraction, Kl kl, Entropy entropy, Loss loss,
            Clip clip, Lengths lengths, Critic critic, Shaping shaping, Optional<Preference> preference) {
        this(policyVersion, weights, objectives, weightingStrategy, scalarRewardMean, rewardMultiplier, hypervolume,
                paretoFront, zeroVarianceGroupFraction, kl, entropy, loss, clip, lengths, critic, shaping, preference,
                Optional.empty());
    }

    /** A step without critic, reward shaping or preference metrics. */
    public StepResult(long policyVersion, WeightUpdate weights, List<ObjectiveStat> objectives,
            String weightingStrategy, double scalarRewardMean, double rewardMultiplier, double hypervolume,
            List<ParetoPoint> paretoFront, double zeroVarianceGroupFraction, Kl kl, Entropy entropy, Loss loss,
            Clip clip, Lengths lengths) {
        this(policyVersion, weights, objectives, weightingStrategy, scalarRewardMean, rewardMultiplier, hypervolume,
                paretoFront, zeroVarianceGroupFraction, kl, entropy, loss, clip, lengths, Critic.NONE, Shaping.NONE,
                Optional.empty());
    }

    public StepResult {
        Objects.requireNonNull(weights, "weights");
        if (weights.version() != policyVersion) {
            throw new IllegalArgumentException(
                    "weights are version " + weights.version() + " but the step produced " + policyVersion);
        }
        objectives = List.copyOf(objectives);
        paretoFront = List.copyOf(paretoFront);
        Objects.requireNonNull(kl, "kl");
        Objects.requireNonNull(entropy, "entropy");
        Objects.requireNonNull(loss, "loss");
        Objects.requireNonNull(clip, "clip");
        Objects.requireNonNull(lengths, "lengths");
        Objects.requireNonNull(critic, "critic");
        Objects.requireNonNull(shaping, "shaping");
        Objects.requireNonNull(preference, "preference");
        Objects.requireNonNull(ranking, "ranking");
    }

    /** This result with the preference metrics of an online DPO step. */
    public StepResult withPreference(Preference p) {
        return new StepResult(policyVersion, weights, objectives, weightingStrategy, scalarRewardMean,
                rewardMultiplier, hypervolume, paretoFront, zeroVarianceGroupFraction, kl, entropy, loss, clip,
                lengths, critic, shaping, Optional.of(p), ranking);
    }

    /** This result with the metrics of a RAFT or PRO step. */
    public StepResult withRanking(Ranking r) {
        return new StepResult(policyVersion, weights, objectives, weightingStrategy, scalarRewardMean,
                rewardMultiplier, hypervolume, paretoFront, zeroVarianceGroupFraction, kl, entropy, loss, clip,
                lengths, critic, shaping, preference, Optional.of(r));
    }

    /**
     * One objective over the batch trained on.
     *
     * @param rawStd population std of raw scores, ≥ 0
     * @param normalizedMean after running normalisation, sign-flipped for MINIMIZE
     * @param weight share in the scalarised reward, [0, 1]; weights sum to 1
     * @param quarantined true when the scorer faulted on this batch and was left out
     * @param heldoutMean held-out mean at this step; NaN when not evaluated
     */
    public record ObjectiveStat(
            String name, Direction direction, double rawMean, double rawStd, double rawMin, double rawMax,
            double normalizedMean, double normalizedStd, double weight, boolean quarantined, double heldoutMean) {}

    /** One point of the Pareto front: the signed batch means of {@code step}. */
    public record ParetoPoint(double[] values, long step) {}

    /** KL(π‖π_ref): token-mean and sequence-mean in nats, budget √sequenceMean, β, estimator name. */
    public record Kl(double tokenMean, double sequenceMean, double budget, double coefficient, String estimator) {}

    /** Policy entropy at the learner temperature (nats) and top-k indicators (k, mass, entropies). */
    public record Entropy(double mean, int topK, double topKMass, double topKEntropyRenormalized,
            double topKEntropyPartial) {}

    /** Loss terms of the step, the pre-clip gradient norm and the learning rate in force. */
    public record Loss(double total, double policy, double value, double kl, double entropyBonus, double gradNorm,
            double learningRate) {}

    /** PPO clip and ratio diagnostics, token means over valid tokens. */
    public record Clip(double clipFraction, double dualClipFraction, double approxKlK1, double approxKlK2,
            double ratioMean, double ratioMax) {}

    /**
     * Response lengths in tokens; reference mean is the reference policy's on held-out prompts
     * (NaN when not measured); correlation of scalarised reward and length in [-1, 1].
     */
    public record Lengths(double responseMean, int responseMin, int responseMax, double truncationRate,
            double referenceMean, double drift, double rewardLengthCorrelation) {}

    /**
     * One online DPO step: means over the pairs trained on (last epoch) of the implicit rewards
     * β(logπ − logπ_ref) (SimPO: β·logπ/|y|), computed in the forward pass before the update.
     *
     * @param loss registry name of the preference loss (dpo, cdpo, rdpo, ipo, simpo, kto)
     * @param value the loss, mean over pairs; 0 when there were no pairs
     * @param rewardAccuracy share of pairs whose chosen reward exceeds the rejected one, [0, 1]
     * @param chosenReward mean implicit reward of the chosen responses
     * @param rejectedReward mean implicit reward of the rejected responses
     * @param margin mean of chosen − rejected
     * @param pairs pairs trained on
     * @param skipped prompt groups that gave no pair (scalar rewards within the minimum gap, or both responses empty)
     * @param ranking the policy's own ranking of the pairs and its drift from the reference
     * @param family what only LCPO or APO report
     */
    public record Preference(String loss, double value, double rewardAccuracy, double chosenReward,
            double rejectedReward, double margin, int pairs, int skipped, PairRanking ranking, Family family) {

        /** Without ranking metrics or family fields (a step that reports none). */
        public Preference(String loss, double value, double rewardAccuracy, double chosenReward,
                double rejectedReward, double margin, int pairs, int skipped) {
            this(loss, value, rewardAccuracy, chosenReward, rejectedReward, margin, pairs, skipped, PairRanking.NONE,
                    Family.NONE);
        }

        public Preference withRanking(PairRanking r) {
            return new Preference(loss, value, rewardAccuracy, chosenReward, rejectedReward, margin, pairs, skipped, r,
                    family);
        }

        public Preference withFamily(Family f) {
            return new Preference(loss, value, rewardAccuracy, chosenReward, rejectedReward, margin, pairs, skipped,
                    ranking, f);
        }
    }

    /**
     * Ranking metrics of the preference family (Chen et al., arXiv 2405.19534; ALGORITHMS.md §10),
     * over the pairs of the last epoch, on summed response log-probs before the update.
     *
     * @param accuracy share of pairs with log π(y_w) > log π(y_l), [0, 1]
     * @param idealisedAccuracy share the optimal DPO policy would rank right given the gold score; NaN without one
     * @param chosenDrift mean log π(y_w) − log π_ref(y_w), nats
     * @param rejectedDrift mean log π(y_l) − log π_ref(y_l), nats
     * @param entanglementCosine cos(∇ mean log π(y_w), ∇ mean log π(y_l)) on the gram parameters
     *     (arXiv 2410.13828); NaN on steps that do not compute it
     */
    public record PairRanking(double accuracy, double idealisedAccuracy, double chosenDrift, double rejectedDrift,
            double entanglementCosine) {
        public static final PairRanking NONE = new PairRanking(0, Double.NaN, 0, 0, Double.NaN);

        public PairRanking withEntanglement(double cosine) {
            return new PairRanking(accuracy, idealisedAccuracy, chosenDrift, rejectedDrift, cosine);
        }
    }

    /**
     * What one member of the preference family adds: NaN / −1 where the member is another.
     *
     * @param algorithm the learner algorithm (online-dpo, lcpo, apo, reward-augmented)
     * @param lcpoEpsilon LCPO's label-noise estimate ε = 1 − η after this step
     * @param lcpoMeanWeight mean E-step weight w over the step's pairs
     * @param apoIteration APO's iteration, 0-based, that the next step trains in
     * @param apoBoundary true when this step ended an APO iteration (extrapolated weights = policy and reference)
     * @param augmentedPairs reward-augmented: target-conditioned pairs trained on (two per scored pair)
     */
    public record Family(String algorithm, double lcpoEpsilon, double lcpoMeanWeight, long apoIteration,
            boolean apoBoundary, int augmentedPairs) {
        public static final Family NONE = new Family("", Double.NaN, Double.NaN, -1, false, 0);
    }

    /**
     * One RAFT or PRO step (ALGORITHMS.md §10), the last epoch's; fields of the other algorithm are 0.
     *
     * @param algorithm raft or pro
     * @param loss the step's loss: RAFT the token-mean NLL of the kept samples, PRO the mean over
     *     ranked groups of L_PRO + SFT term; 0 when nothing was trained on
     * @param keptFraction RAFT: samples kept / batch size, [0, 1]
     * @param keptRewardMean RAFT: mean scalar reward of the kept samples; 0 when none
     * @param kept RAFT: samples trained on
     * @param groups PRO: groups ranked and trained on
     * @param groupsSkipped PRO: groups whose rewards were all equal (nothing to rank)
     * @param listwise PRO: mean L_PRO over the ranked groups
     * @param sft PRO: mean SFT term β·(n−1)²·NLL_sum(y_1) over the ranked groups
     * @param topChoiceAccuracy PRO: share of ranked groups whose best-rewarded response has the
     *     policy's highest length-normalised log-prob, before the update, [0, 1]
     */
    public record Ranking(String algorithm, double loss, double keptFraction, double keptRewardMean, int kept,
            int groups, int groupsSkipped, double listwise, double sft, double topChoiceAccuracy) {}

    /**
     * The critic of PPO-GAE (its loss is {@link Loss#value()}), over the real tokens of the batch.
     *
     * @param present false when the learner runs no value head (the other fields are then 0)
     * @param valueClipFraction share of tokens where the clipped value branch was the larger loss, [0, 1]
     * @param explainedVariance 1 − Var(R − V)/Var(R) with the values from before the update; ≤ 1
     * @param valueMean token-mean of those values
     * @param returnMean token-mean of the returns R (the critic's target)
     */
    public record Critic(boolean present, double valueClipFraction, double explainedVariance, double valueMean,
            double returnMean) {
        public static final Critic NONE = new Critic(false, 0, 0, 0, 0);
    }

    /**
     * Reward shaping before advantages.
     *
     * @param klInReward true when KL was a per-token reward penalty rather than a loss term
     * @param klPenaltyMean token-mean of β·kl subtracted from the token rewards, nats; 0 when KL is a loss
     * @param overlongPenaltyMean mean DAPO overlong penalty per sample, ≤ 0; 0 when off
     */
    public record Shaping(boolean klInReward, double klPenaltyMean, double overlongPenaltyMean) {
        public static final Shaping NONE = new Shaping(false, 0, 0);
    }
}
