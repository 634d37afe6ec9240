package troupe.core.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
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
import troupe.core.model.scoring.HealthSample;
import troupe.core.model.scoring.PolicyLogProbs;
import troupe.core.model.scoring.TensorTokenStats;
import troupe.core.model.scoring.TokenScores;
import troupe.core.model.train.TrainablePolicy;

/**
 * The loss of one micro-batch of a {@link StepInput.PolicyGradient} step: clipped surrogate, plus
 * β·KL when KL is a loss term, plus the entropy bonus, plus the clipped value loss when the policy
 * has a critic; each term aggregated under the whole step's {@link BatchTotals}, so the
 * micro-batch losses sum to the step's loss (gradient accumulation, ALGORITHMS.md §0).
 */
final class MicroBatchLoss {
    private final TrainablePolicy policy;
    private final PolicyLoss policyLoss;
    private final LearnerSettings settings;

    MicroBatchLoss(TrainablePolicy policy, PolicyLoss policyLoss, LearnerSettings settings) {
        this.policy = policy;
        this.policyLoss = policyLoss;
        this.settings = settings;
    }

    /** Rows [from, to): forward and the loss the caller backwards; its terms and metrics go to {@code sums}. */
    NDArray loss(StepInput.PolicyGradient s, int from, int to, NDManager m, StepMetrics.LossSums sums) {
        LearnerBatch b = s.batch();
        int width = b.widthOf(from, to);
        Shape shape = new Shape(to - from, width);
        int[][] responses = Arrays.copyOfRange(b.responses(), from, to);
        PolicyLogProbs lp = LearnerBatch.forward(policy.model(), Arrays.copyOfRange(b.prompts(), from, to), responses,
                s.temperature(), m);
        NDArray mask = m.create(LearnerBatch.slice(b.mask(), from, to, width), shape);
        NDArray oldNd;
        NDArray isWeights = null;
        if (s.old() instanceof StepInput.OldLogProbs.Scored scored) {
            oldNd = m.create(LearnerBatch.slice(scored.logp(), from, to, width), shape);
        } else {
            // old = current parameters: the ratio is 1 with the gradient of log π (no second forward)
            oldNd = lp.logprobs().stopGradient();
            List<TokenScores> scores = forwardScores(lp, oldNd, responses, from, to, b.size());
            ((StepInput.OldLogProbs.FromForward) s.old()).scores().addAll(scores);
            if (s.importance() instanceof StepInput.Importance.FromForward) {
                isWeights = m.create(LearnerBatch.slice(importanceWeights(b, scores, from, to), 0, to - from, width),
                        shape);
            }
        }
        if (s.importance() instanceof StepInput.Importance.Weights w) {
            isWeights = m.create(LearnerBatch.slice(w.weights(), from, to, width), shape);
        }
        PolicyLossInput input = PolicyLossInput.of(lp.logprobs(), oldNd,
                m.create(LearnerBatch.slice(s.advantages(), from, to, width), shape), mask).withTotals(s.totals());
        if (isWeights != null) {
            input = input.withIsWeights(isWeights);
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
        if (s.critic().isPresent()) {
            StepInput.ValueTargets critic = s.critic().get();
            NDArray values = policy.valueHead().values(lp.hidden()); // [B, L], gradient into head and trunk
            ValueLoss.Result vl = ValueLoss.compute(values,
                    m.create(LearnerBatch.slice(critic.oldValues(), from, to, width), shape),
                    m.create(LearnerBatch.slice(critic.returns(), from, to, width), shape),
                    mask, settings.valueLoss(), s.totals());
            loss = loss.add(vl.loss());
            sums.addValue(vl.loss().getFloat(), vl.clipFraction(), pl.metrics().tokens());
        }
        sums.add(loss.getFloat(), pl.loss().getFloat(), klValue, entropyValue, pl.metrics());
        return loss;
    }

    /**
     * This forward's scores of rows [from, to): the detached float32 log-probs the loss uses as
     * old (so the metrics' and the importance weights' old log-probs are exactly the loss's), and
     * entropy / top-k on the rows of the step's health sample among them. The statistics' double
     * temporaries are freed per chunk; the logits are released as soon as they are read, since
     * the backward pass needs only their log-softmax.
     */
    private List<TokenScores> forwardScores(PolicyLogProbs lp, NDArray oldNd, int[][] responses, int from, int to,
            int batchSize) {
        boolean[] rows = Arrays.copyOfRange(HealthSample.rows(batchSize, settings.healthSampleRows()), from, to);
        int width = Math.toIntExact(oldNd.getShape().get(1));
        float[] flat = oldNd.toFloatArray();
        float[][] logp = new float[to - from][];
        for (int i = 0; i < logp.length; i++) {
            logp[i] = Arrays.copyOfRange(flat, i * width, i * width + responses[i].length);
        }
        TensorTokenStats.RowHealth[] health;
        try (NDArray detached = lp.logits().stopGradient()) {
            health = TensorTokenStats.health(detached, responses, 1.0, settings.healthTopK(), rows);
        }
        // Backward needs the log-softmax (autograd holds it), not this handle on the logits: freeing
        // it now takes one [B, L, V] tensor off the micro-batch's peak.
        lp.logits().close();
        return TensorTokenStats.assemble(logp, health, null, width);
    }

    /**
     * Rows [from, to) of the importance weights old/behaviour, with old = this forward's scores:
     * the same per-row arithmetic as over the whole batch (a row's weights read only that row).
     */
    private double[][] importanceWeights(LearnerBatch b, List<TokenScores> scores, int from, int to) {
        return ImportanceCorrection.weights(LearnerBatch.padded(scores, TokenScores::logprobs, b.maxLength()),
                Arrays.copyOfRange(b.behaviour(), from, to), Arrays.copyOfRange(b.mask(), from, to),
                settings.importance()).weights();
    }
}
