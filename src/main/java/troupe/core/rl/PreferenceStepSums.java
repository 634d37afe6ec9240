package troupe.core.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import troupe.core.algo.preference.PreferenceBatch;
import troupe.core.algo.preference.PreferenceMetrics;
import troupe.core.algo.preference.RankingStats;
import troupe.core.engine.StepResult;

/** One epoch's preference loss and implicit-reward metrics, accumulated over micro-batches of pairs. */
final class PreferenceStepSums {
    private double loss;
    private double pairs;
    private double accuracy;
    private double chosen;
    private double rejected;
    private double margin;
    /** Host sums of the pairs for the ranking metrics: policy chosen/rejected, reference chosen/rejected, gold. */
    private final java.util.List<double[]> ranking = new java.util.ArrayList<>();
    private boolean gold = true;

    /** @param scaledLoss the micro-batch's loss already scaled by its share of the step's pairs */
    void add(double scaledLoss, int microBatchPairs, PreferenceMetrics m) {
        loss += scaledLoss;
        pairs += microBatchPairs;
        accuracy += m.rewardAccuracy() * microBatchPairs;
        chosen += m.chosenReward() * microBatchPairs;
        rejected += m.rejectedReward() * microBatchPairs;
        margin += m.rewardMargin() * microBatchPairs;
    }

    /** The micro-batch's summed log-probs (detached) and gold scores (null = none) for {@link RankingStats}. */
    void addRanking(PreferenceBatch b, double[][] goldScores) {
        if (b.refChosen() == null) {
            gold = false; // a reference-free loss: no drift to report against
            return;
        }
        double[] pc = host(b.policyChosen());
        double[] pr = host(b.policyRejected());
        double[] rc = host(b.refChosen());
        double[] rr = host(b.refRejected());
        gold &= goldScores != null;
        for (int i = 0; i < pc.length; i++) {
            ranking.add(new double[] {pc[i], pr[i], rc[i], rr[i], goldScores == null ? 0 : goldScores[0][i],
                    goldScores == null ? 0 : goldScores[1][i]});
        }
    }

    private static double[] host(NDArray x) {
        try (NDArray d = x.stopGradient(); NDArray copy = d.toType(DataType.FLOAT64, true)) {
            return copy.toDoubleArray();
        }
    }

    /** Ranking accuracy, idealised ranking accuracy (β of the loss) and log-prob drift over the epoch's pairs. */
    StepResult.PairRanking ranking(double beta) {
        RankingStats r = rankingStats(beta);
        return new StepResult.PairRanking(r.rankingAccuracy(), r.idealisedRankingAccuracy(), r.chosenDrift(),
                r.rejectedDrift(), Double.NaN);
    }

    private RankingStats rankingStats(double beta) {
        double[][] cols = new double[6][ranking.size()];
        for (int i = 0; i < ranking.size(); i++) {
            for (int k = 0; k < 6; k++) {
                cols[k][i] = ranking.get(i)[k];
            }
        }
        return RankingStats.of(cols[0], cols[1], cols[2], cols[3], gold ? cols[4] : null, gold ? cols[5] : null, beta);
    }

    /** Mean loss over the step's pairs; 0 without pairs. */
    double loss() {
        return loss;
    }

    StepResult.Preference toMetrics(String lossName, int pairCount, int skipped, double beta) {
        return new StepResult.Preference(lossName, loss, mean(accuracy), mean(chosen), mean(rejected), mean(margin),
                pairCount, skipped).withRanking(ranking(beta));
    }

    private double mean(double sum) {
        return pairs > 0 ? sum / pairs : 0;
    }
}
