package troupe.core.rl;

import troupe.core.algo.preference.PreferenceMetrics;
import troupe.core.engine.StepResult;

/** One epoch's preference loss and implicit-reward metrics, accumulated over micro-batches of pairs. */
final class PreferenceStepSums {
    private double loss;
    private double pairs;
    private double accuracy;
    private double chosen;
    private double rejected;
    private double margin;

    /** @param scaledLoss the micro-batch's loss already scaled by its share of the step's pairs */
    void add(double scaledLoss, int microBatchPairs, PreferenceMetrics m) {
        loss += scaledLoss;
        pairs += microBatchPairs;
        accuracy += m.rewardAccuracy() * microBatchPairs;
        chosen += m.chosenReward() * microBatchPairs;
        rejected += m.rejectedReward() * microBatchPairs;
        margin += m.rewardMargin() * microBatchPairs;
    }

    /** Mean loss over the step's pairs; 0 without pairs. */
    double loss() {
        return loss;
    }

    StepResult.Preference toMetrics(String lossName, int pairCount, int skipped) {
        return new StepResult.Preference(lossName, loss, mean(accuracy), mean(chosen), mean(rejected), mean(margin),
                pairCount, skipped);
    }

    private double mean(double sum) {
        return pairs > 0 ? sum / pairs : 0;
    }
}
