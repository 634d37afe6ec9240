package troupe.core.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import java.util.List;
import troupe.core.algo.BatchTotals;
import troupe.core.algo.kl.KlLoss;
import troupe.core.algo.policy.EntropyBonus;
import troupe.core.algo.policy.ImportanceCorrection;
import troupe.core.algo.policy.PolicyLoss;
import troupe.core.algo.policy.PolicyLossInput;
import troupe.core.algo.policy.PolicyLossResult;
import troupe.core.algo.policy.ValueLoss;
import troupe.core.model.PaddedBatch;
import troupe.core.model.scoring.PolicyLogProbs;
import troupe.core.model.scoring.TensorTokenStats;
import troupe.core.model.scoring.TokenScores;
import troupe.core.model.train.TrainablePolicy;

/**
 * Forward and backward of one micro-batch: clipped surrogate, plus β·KL when KL is a loss term,
 * plus the entropy bonus, plus the clipped value loss when the policy has a critic; each term
 * aggregated under the whole step's {@link BatchTotals}, so the micro-batch losses sum to the
 * step's loss (gradient accumulation, ALGORITHMS.md §0).
 */
final class MicroBatchLoss {

    /**
     * What every micro-batch of one step reads, [N][L] host arrays.
     *
     * @param isWeights importance weights old/behaviour, or null when on-policy or when
     *     {@code isFromForward} has each micro-batch take them from its own forward
     * @param isFromForward an off-policy single pass: each micro-batch's importance weights come
     *     from the log-probs of its training forward (old = the current parameters), row by row
     * @param oldValues critic values at the start of the step, or null without a critic
     * @param returns the critic's targets (read only with a critic)
     * @param oldLogp the step's old log-probs; null = single pass: old is this forward's
     *     own log-probs, detached (TRL's {@code per_token_logps.detach()} when num_iterations = 1),
     *     and the per-token scores of this forward are appended to {@code scoresOut}
     * @param klLossBeta β of the KL loss term; 0 = no term (also when KL is in the reward)
     * @param scoresOut receives the old scores when {@code oldLogp} is null, else unused
     */
    record StepArrays(LearnerBatch b, double[][] oldLogp, double[][] advantages, double[][] isWeights,
            boolean isFromForward, double[][] oldValues, double[][] returns, double temperature, BatchTotals totals,
            double klLossBeta, List<TokenScores> scoresOut) {}

    private final TrainablePolicy policy;
    private final PolicyLoss policyLoss;
    private final LearnerSettings settings;

    MicroBatchLoss(TrainablePolicy policy, PolicyLoss policyLoss, LearnerSettings settings) {
        this.policy = policy;
        this.policyLoss = policyLoss;
        this.settings = settings;
    }

    /** Rows [from, to): forward, loss, backward (gradients accumulate until the optimizer step). */
    void run(StepArrays s, int from, int to, StepMetrics.LossSums sums) {
        LearnerBatch b = s.b();
        int width = b.widthOf(from, to);
        Shape shape = new Shape(to - from, width);
        try (NDManager m = policy.newStepManager(); GradientCollector gc = policy.newGradientCollector()) {
            int[][] responses = Arrays.copyOfRange(b.responses(), from, to);
            PaddedBatch pb = PaddedBatch.of(Arrays.copyOfRange(b.prompts(), from, to), responses,
                    policy.model().config().fillTokenId());
            PolicyLogProbs lp = PolicyLogProbs.compute(policy.model(), pb, s.temperature(), m);
            NDArray mask = m.create(LearnerBatch.slice(b.mask(), from, to, width), shape);
            NDArray oldNd;
            double[][] isWeights = s.isWeights();
            int rowOffset = from;
            if (s.oldLogp() != null) {
                oldNd = m.create(LearnerBatch.slice(s.oldLogp(), from, to, width), shape);
            } else {
                // old = current parameters: the ratio is 1 with the gradient of log π (no second forward)
                oldNd = lp.logprobs().stopGradient();
                List<TokenScores> scores = TensorTokenStats.scores(lp.logits().stopGradient(), responses, 1.0,
                        settings.healthTopK(), null);
                s.scoresOut().addAll(scores);
                if (s.isFromForward()) {
                    isWeights = importanceWeights(b, scores, from, to);
                    rowOffset = 0;
                }
            }
            NDArray adv = m.create(LearnerBatch.slice(s.advantages(), from, to, width), shape);
            PolicyLossInput input = PolicyLossInput.of(lp.logprobs(), oldNd, adv, mask).withTotals(s.totals());
            if (isWeights != null) {
                input = input.withIsWeights(m.create(LearnerBatch.slice(isWeights, rowOffset,
                        rowOffset + to - from, width), shape));
            }
            PolicyLossResult pl = policyLoss.compute(input);
            NDArray loss = pl.loss();
            double klValue = 0;
            if (s.klLossBeta() > 0) {
                NDArray ref = m.create(LearnerBatch.slice(b.reference(), from, to, width), shape);
                KlLoss.Result kl = KlLoss.compute(lp.logprobs(), ref, mask, settings.kl(), s.klLossBeta(),
                        settings.policyLoss().aggregation(), s.totals());
                loss = loss.add(kl.loss());
                klValue = kl.loss().getFloat();
                sums.addKlMean(kl.meanKl(), pl.metrics().tokens());
            }
            double entropyValue = 0;
            if (settings.policyLoss().entropyCoef() > 0) {
                NDArray bonus = EntropyBonus.loss(lp.entropy(), mask, settings.policyLoss().entropyCoef(),
                        settings.policyLoss().aggregation(), s.totals());
                loss = loss.add(bonus);
                entropyValue = bonus.getFloat();
            }
            if (s.oldValues() != null) {
                NDArray values = policy.valueHead().values(lp.hidden()); // [B, L], gradient into head and trunk
                ValueLoss.Result vl = ValueLoss.compute(values,
                        m.create(LearnerBatch.slice(s.oldValues(), from, to, width), shape),
                        m.create(LearnerBatch.slice(s.returns(), from, to, width), shape),
                        mask, settings.valueLoss(), s.totals());
                loss = loss.add(vl.loss());
                sums.addValue(vl.loss().getFloat(), vl.clipFraction(), pl.metrics().tokens());
            }
            gc.backward(loss);
            sums.add(loss.getFloat(), pl.loss().getFloat(), klValue, entropyValue, pl.metrics());
        }
    }

    /**
     * Rows [from, to) of the importance weights old/behaviour, with old = this forward's scores:
     * the same per-row arithmetic as over the whole batch (a row's weights read only that row).
     */
    private double[][] importanceWeights(LearnerBatch b, List<TokenScores> scores, int from, int to) {
        double[][] old = new double[to - from][b.maxLength()];
        for (int i = 0; i < old.length; i++) {
            float[] x = scores.get(i).logprobs();
            for (int t = 0; t < x.length; t++) {
                old[i][t] = x[t];
            }
        }
        return ImportanceCorrection.weights(old, Arrays.copyOfRange(b.behaviour(), from, to),
                Arrays.copyOfRange(b.mask(), from, to), settings.importance()).weights();
    }
}
