package troupe.core.algo.advantage;

import java.util.List;

/**
 * REINFORCE++-baseline (arXiv 2501.03262; verl {@code reinforce_plus_plus_baseline}): subtract
 * the group mean of the outcome scores (a group of size 1 keeps its score), broadcast over the
 * real tokens, then whiten over all real tokens of the batch ({@link Whitening}).
 */
public final class ReinforcePlusPlusBaselineEstimator implements AdvantageEstimator {

    private final AdvantageSettings settings;

    public ReinforcePlusPlusBaselineEstimator(AdvantageSettings settings) {
        this.settings = settings;
    }

    @Override
    public AdvantageResult compute(AdvantageInput input) {
        double[] r = input.scores();
        double[] centred = new double[r.length];
        for (List<Integer> group : Groups.indices(input.groupIds()).values()) {
            double mean = group.size() == 1 ? 0.0 : Groups.mean(r, group);
            for (int i : group) {
                centred[i] = r[i] - mean;
            }
        }
        double[][] broadcast = Groups.broadcast(centred, input.mask());
        double[][] advantages = Whitening.whiten(broadcast, input.mask(), settings.whitenEpsilon());
        return new AdvantageResult(advantages, advantages);
    }
}
