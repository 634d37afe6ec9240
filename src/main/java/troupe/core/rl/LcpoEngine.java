package troupe.core.rl;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import java.util.List;
import troupe.core.algo.Scalars;
import troupe.core.algo.preference.LcpoLoss;
import troupe.core.algo.preference.PreferenceBatch;
import troupe.core.algo.preference.PreferenceLossResult;
import troupe.core.engine.StepResult;
import troupe.core.model.train.TrainablePolicy;
import troupe.core.reward.Objective;
import troupe.core.rollout.RolloutBatch;

/**
 * LCPO on the online-DPO loop ({@link LcpoLoss}, ALGORITHMS.md §10): each pair's loss is the EM
 * M-step around the configured pairwise loss at the running label-noise estimate ε = 1 − η, and
 * after each step η ← decay·η + (1 − decay)·mean w over the step's pairs (every epoch's). η is
 * saved in the checkpoint (learner.json, {@code lcpoEta}) and reported with the mean weight.
 * Gradient-based weighting strategies still read the wrapped loss's gradients per objective:
 * the weights w describe label noise of the scalarised pairs, not of one objective's.
 */
final class LcpoEngine extends OnlineDpoEngine {
    private final LcpoLoss lcpo;
    private final double decay;
    private double eta;
    private double weightSum;
    private int weightCount;
    private double lastMeanWeight = Double.NaN;

    LcpoEngine(TrainablePolicy policy, LearnerSettings settings, LearnerAlgorithm.Lcpo algorithm,
            List<Objective> objectives, NDManager manager) {
        super(LearnerAlgorithm.LCPO, policy, settings, algorithm.pairs(), objectives, manager);
        this.lcpo = new LcpoLoss(loss, preference.loss());
        this.decay = algorithm.decay();
        this.eta = 1 - algorithm.initialEpsilon();
    }

    /** The current estimate of ε. */
    double epsilon() {
        return 1 - eta;
    }

    @Override
    PreferenceLossResult pairLoss(PreferenceBatch pairs) {
        LcpoLoss.Result r = lcpo.compute(pairs, epsilon());
        weightSum += Scalars.value(r.weights().sum()); // read now: the micro-batch's arrays close before backward
        weightCount += Math.toIntExact(r.weights().size());
        return new PreferenceLossResult(r.loss(), r.perPair(), r.metrics());
    }

    @Override
    void afterOptimise(RolloutBatch batch) {
        if (weightCount > 0) {
            lastMeanWeight = weightSum / weightCount;
            eta = LcpoLoss.nextEta(eta, lastMeanWeight, decay);
        } else {
            lastMeanWeight = Double.NaN; // no pair: ε stays
        }
        weightSum = 0;
        weightCount = 0;
    }

    @Override
    StepResult.Preference decorate(StepResult.Preference p) {
        return p.withFamily(new StepResult.Family(LearnerAlgorithm.LCPO, epsilon(), lastMeanWeight, -1, false, 0));
    }

    @Override
    void saveState(JsonObject state) {
        super.saveState(state);
        state.addProperty("lcpoEta", eta);
    }

    @Override
    void restoreState(JsonObject state) {
        super.restoreState(state);
        eta = state.get("lcpoEta").getAsDouble();
    }
}
