package troupe.core.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import troupe.core.algo.Scalars;
import troupe.core.algo.kl.KlControllers;
import troupe.core.algo.ranking.RaftSelection;
import troupe.core.engine.StepResult;
import troupe.core.model.GradMode;
import troupe.core.model.scoring.TokenScores;
import troupe.core.model.train.TrainablePolicy;
import troupe.core.reward.Objective;
import troupe.core.rollout.RolloutBatch;
import troupe.core.weighting.WeightingResult;

/**
 * The learner's compute for online RAFT (Dong et al., arXiv 2304.06767; ALGORITHMS.md §10): the
 * weighting strategy turns each sample's reward vector into one scalar, {@link RaftSelection}
 * keeps the best (top-1 per group, the top fraction of the batch, or a threshold), and the step
 * is SFT on the kept responses: the token-mean NLL of their response tokens (LMFlow's NLL also
 * covers the prompt; response-only is our choice), at the learner temperature like every other
 * learner loss. No reference and no KL enter the loss; KL to the reference is still reported.
 * A step that keeps nothing changes no weight but advances the version, as every step does.
 */
public final class RaftEngine extends AbstractLearnerEngine {
    private final RaftSelection.Rule rule;

    public RaftEngine(TrainablePolicy policy, LearnerSettings settings, LearnerAlgorithm.Raft algorithm,
            List<Objective> objectives, NDManager manager) {
        super(LearnerAlgorithm.RAFT, policy, settings, objectives, manager);
        this.rule = algorithm.rule();
    }

    @Override
    public StepResult train(long step, RolloutBatch batch) {
        GradMode.offOnThisThread();
        LearnerBatch b = LearnerBatch.of(batch);
        double temperature = batch.sampling().learnerTemperature();
        // 1. the policy before the update, for the health metrics every learner reports
        List<TokenScores> old = scoreOld(b, temperature, false);
        // 2. in place of advantages: weighting → scalar reward → the kept samples
        WeightingResult weighted = rewardStage.weigh(batch, () -> gram(batch, b, temperature));
        int[] kept = RaftSelection.select(weighted.rewards(), b.groupIds(), rule);
        StepInput.KeptSamples input = new StepInput.KeptSamples(b, temperature, kept, tokens(b, kept));
        // 3–5. micro-batch NLL → backward → optimiser step, per epoch (none when nothing is kept)
        Optimised<RankingStepSums> done = optimise(input, RankingStepSums::new,
                (from, to, m, sums) -> {
                    NDArray loss = nll(input, from, to, m);
                    sums.add(loss.getFloat());
                    return loss;
                });
        // 6. weights for the generators, metrics
        version++;
        StepMetrics.LossSums lossSums = new StepMetrics.LossSums();
        lossSums.total = done.sums().loss;
        lossSums.policy = done.sums().loss;
        double keptReward = 0;
        for (int i : kept) {
            keptReward += weighted.rewards()[i] / kept.length;
        }
        StepResult r = metrics.result(step, version, export(), batch, rewardStage.strategy(), weighted, old,
                b.padded(old, TokenScores::logprobs), b, lossSums, done.stats(), 0, "k1", settings.healthTopK(),
                StepResult.Critic.NONE, StepResult.Shaping.NONE);
        return r.withRanking(done.sums().raft(b.size(), kept.length, keptReward));
    }

    /** Kept rows [from, to): −Σ logπ over their response tokens / the step's kept tokens. */
    private NDArray nll(StepInput.KeptSamples input, int from, int to, NDManager m) {
        SequenceSums sums = SequenceSums.of(policy.model(), input.batch(), Arrays.copyOfRange(input.rows(), from, to),
                input.temperature(), m);
        NDArray total = sums.logp().sum().neg();
        return total.div(Scalars.like(total, Math.max(input.tokens(), 1)));
    }

    private static double tokens(LearnerBatch b, int[] rows) {
        double n = 0;
        for (int i : rows) {
            for (double w : b.mask()[i]) {
                n += w;
            }
        }
        return n;
    }

    /**
     * Per-objective gradients of the NLL for gradient-based weighting: objective k's samples are
     * kept by its own (direction-signed, raw) scores.
     */
    private double[][] gram(RolloutBatch batch, LearnerBatch b, double temperature) {
        double[][] columns = GradientGram.objectiveColumns(batch);
        return GradientGram.compute(policy, Pattern.compile(settings.gramParameters()), columns.length, (j, m) -> {
            int[] rows = RaftSelection.select(columns[j], b.groupIds(), rule);
            if (rows.length == 0) { // nothing kept: a zero loss that still has the graph backward needs
                NDArray zero = nll(new StepInput.KeptSamples(b, temperature, new int[] {0}, 1), 0, 1, m);
                return zero.mul(Scalars.like(zero, 0.0));
            }
            return nll(new StepInput.KeptSamples(b, temperature, rows, tokens(b, rows)), 0, rows.length, m);
        });
    }

    /** The configured KL controller's initial state, so a policy-gradient learner can resume from here. */
    @Override
    void saveState(JsonObject state) {
        state.add("klController", GSON.toJsonTree(KlControllers.create(settings.klController()).state()));
    }

    @Override
    void restoreState(JsonObject state) {
        // RAFT keeps no state of its own beyond what every learner keeps
    }
}
