package troupe.core.rl;

import troupe.core.engine.StepResult;

/** One epoch's RAFT or PRO loss and its parts, accumulated over micro-batches. */
final class RankingStepSums {
    double loss;
    double listwise;
    double sft;
    int topChoiceHits;

    /** @param scaledLoss the micro-batch's loss already scaled to its share of the step's mean */
    void add(double scaledLoss) {
        loss += scaledLoss;
    }

    /** PRO: one micro-batch's summed L_PRO, SFT terms and top-choice hits over its groups. */
    void addGroups(double scaledLoss, double listwiseSum, double sftSum, int hits) {
        loss += scaledLoss;
        listwise += listwiseSum;
        sft += sftSum;
        topChoiceHits += hits;
    }

    /** RAFT's metrics over a batch of {@code size} samples. */
    StepResult.Ranking raft(int size, int kept, double keptRewardMean) {
        return new StepResult.Ranking(LearnerAlgorithm.RAFT, loss, size > 0 ? (double) kept / size : 0,
                keptRewardMean, kept, 0, 0, 0, 0, 0);
    }

    /** PRO's metrics over {@code groups} ranked groups. */
    StepResult.Ranking pro(int groups, int skipped) {
        double d = Math.max(groups, 1);
        return new StepResult.Ranking(LearnerAlgorithm.PRO, loss, 0, 0, 0, groups, skipped, listwise / d, sft / d,
                topChoiceHits / d);
    }
}
