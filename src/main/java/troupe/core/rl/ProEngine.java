package troupe.core.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import troupe.core.algo.Scalars;
import troupe.core.algo.kl.KlControllers;
import troupe.core.algo.ranking.ProLoss;
import troupe.core.engine.StepResult;
import troupe.core.model.GradMode;
import troupe.core.model.scoring.TokenScores;
import troupe.core.model.train.TrainablePolicy;
import troupe.core.reward.Objective;
import troupe.core.rollout.RolloutBatch;
import troupe.core.weighting.WeightingResult;

/**
 * The learner's compute for PRO (Song et al., arXiv 2306.17492; ALGORITHMS.md §10) on on-policy
 * groups: the weighting strategy turns each sample's reward vector into one scalar, each prompt's
 * group is ranked by it (ties in index order), and the loss per group is {@link ProLoss#listwise}
 * on the length-normalised log-probs plus β·(n−1)²·NLL_sum of the best response; the step's loss
 * is the mean over groups. A group whose scalars are all equal has nothing to rank and is
 * skipped (counted in {@link StepResult.Ranking#groupsSkipped}). Micro-batches hold whole groups.
 */
public final class ProEngine extends AbstractLearnerEngine {
    private final LearnerAlgorithm.Pro algorithm;

    public ProEngine(TrainablePolicy policy, LearnerSettings settings, LearnerAlgorithm.Pro algorithm,
            List<Objective> objectives, NDManager manager) {
        super(LearnerAlgorithm.PRO, policy, settings, objectives, manager);
        this.algorithm = algorithm;
    }

    @Override
    public StepResult train(long step, RolloutBatch batch) {
        GradMode.offOnThisThread();
        LearnerBatch b = LearnerBatch.of(batch);
        double temperature = batch.sampling().learnerTemperature();
        // 1. the policy before the update, for the health metrics every learner reports
        List<TokenScores> old = scoreOld(b, temperature, false);
        // 2. in place of advantages: weighting → scalar reward → each group ranked
        WeightingResult weighted = rewardStage.weigh(batch, () -> gram(batch, b, temperature));
        List<int[]> groups = groups(b);
        List<StepInput.RankedGroup> ranked = rank(weighted.rewards(), groups);
        StepInput.RankedGroups input = new StepInput.RankedGroups(b, temperature, ranked);
        // 3–5. micro-batch losses → backward → optimiser step, per epoch (none when every group tied)
        Optimised<RankingStepSums> done = optimise(input, RankingStepSums::new,
                (from, to, m, sums) -> loss(input, from, to, m, sums));
        // 6. weights for the generators, metrics
        version++;
        StepMetrics.LossSums lossSums = new StepMetrics.LossSums();
        lossSums.total = done.sums().loss;
        lossSums.policy = done.sums().loss;
        StepResult r = metrics.result(step, version, export(), batch, rewardStage.strategy(), weighted, old,
                b.padded(old, TokenScores::logprobs), b, lossSums, done.stats(), 0, "k1", settings.healthTopK(),
                StepResult.Critic.NONE, StepResult.Shaping.NONE);
        return r.withRanking(done.sums().pro(ranked.size(), groups.size() - ranked.size()));
    }

    /** Groups [from, to): Σ_g (L_PRO + SFT term) / the step's groups; parts and top-choice hits to {@code sums}. */
    private NDArray loss(StepInput.RankedGroups input, int from, int to, NDManager m, RankingStepSums sums) {
        List<StepInput.RankedGroup> groups = input.groups().subList(from, to);
        int[] rows = groups.stream().flatMapToInt(g -> Arrays.stream(g.rows())).toArray();
        SequenceSums seq = SequenceSums.of(policy.model(), input.batch(), rows, input.temperature(), m);
        NDArray s = seq.means(m); // [rows], group after group, best first
        double[] sHost = s.stopGradient().toType(DataType.FLOAT64, false).toDoubleArray();
        NDArray total = null;
        double listwise = 0;
        double sft = 0;
        int hits = 0;
        int offset = 0;
        for (StepInput.RankedGroup g : groups) {
            int n = g.rows().length;
            NDArray lp = ProLoss.listwise(s.get(offset + ":" + (offset + n)), g.rewards(),
                    algorithm.dynamicTemperature());
            NDArray nllTop = seq.logp().get(offset).neg();
            NDArray sftTerm = nllTop.mul(Scalars.like(nllTop, ProLoss.sftWeight(n, algorithm.sftBeta())));
            NDArray groupLoss = lp.add(sftTerm);
            total = total == null ? groupLoss : total.add(groupLoss);
            listwise += lp.getFloat();
            sft += sftTerm.getFloat();
            hits += topChoice(sHost, offset, n) ? 1 : 0;
            offset += n;
        }
        NDArray scaled = total.div(Scalars.like(total, input.items()));
        sums.addGroups(scaled.getFloat(), listwise, sft, hits);
        return scaled;
    }

    /** True when the first (best-rewarded) of {@code n} scores from {@code offset} is their strict maximum. */
    private static boolean topChoice(double[] s, int offset, int n) {
        for (int i = offset + 1; i < offset + n; i++) {
            if (s[i] >= s[offset]) {
                return false;
            }
        }
        return true;
    }

    /** Each prompt's rows in order of first appearance. */
    private static List<int[]> groups(LearnerBatch b) {
        Map<Integer, List<Integer>> byGroup = new LinkedHashMap<>();
        for (int i = 0; i < b.size(); i++) {
            byGroup.computeIfAbsent(b.groupIds()[i], g -> new ArrayList<>()).add(i);
        }
        return byGroup.values().stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toList();
    }

    /** Groups of ≥ 2 whose scalars are not all equal, each ranked best first. */
    static List<StepInput.RankedGroup> rank(double[] scalar, List<int[]> groups) {
        List<StepInput.RankedGroup> out = new ArrayList<>();
        for (int[] rows : groups) {
            double[] r = new double[rows.length];
            for (int i = 0; i < rows.length; i++) {
                r[i] = scalar[rows[i]];
            }
            if (ProLoss.tied(r)) {
                continue;
            }
            int[] order = ProLoss.rankDescending(r);
            int[] rankedRows = new int[rows.length];
            double[] rankedRewards = new double[rows.length];
            for (int k = 0; k < order.length; k++) {
                rankedRows[k] = rows[order[k]];
                rankedRewards[k] = r[order[k]];
            }
            out.add(new StepInput.RankedGroup(rankedRows, rankedRewards));
        }
        return out;
    }

    /**
     * Per-objective gradients of the PRO loss for gradient-based weighting: objective k ranks each
     * group by its own (direction-signed, raw) scores; an objective tied in every group gives 0.
     */
    private double[][] gram(RolloutBatch batch, LearnerBatch b, double temperature) {
        double[][] columns = GradientGram.objectiveColumns(batch);
        List<int[]> groups = groups(b);
        return GradientGram.compute(policy, Pattern.compile(settings.gramParameters()), columns.length, (j, m) -> {
            List<StepInput.RankedGroup> ranked = rank(columns[j], groups);
            if (ranked.isEmpty()) { // a zero loss that still has the graph backward needs
                NDArray zero = SequenceSums.of(policy.model(), b, new int[] {0}, temperature, m).logp().sum();
                return zero.mul(Scalars.like(zero, 0.0));
            }
            StepInput.RankedGroups input = new StepInput.RankedGroups(b, temperature, ranked);
            return loss(input, 0, ranked.size(), m, new RankingStepSums());
        });
    }

    /** The configured KL controller's initial state, so a policy-gradient learner can resume from here. */
    @Override
    void saveState(JsonObject state) {
        state.add("klController", GSON.toJsonTree(KlControllers.create(settings.klController()).state()));
    }

    @Override
    void restoreState(JsonObject state) {
        // PRO keeps no state of its own beyond what every learner keeps
    }
}
