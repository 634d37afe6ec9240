package troupe.core.algo.advantage;

import java.util.List;

/**
 * RLOO (Ahmadian et al., arXiv 2402.14740): leave-one-out baseline,
 * {@code A_i = r_i − (1/(G−1))·Σ_{j≠i} r_j = (G/(G−1))·(r_i − mean_g)}, broadcast over tokens.
 * A group of size 1 has no baseline (A = r, as in verl). Example: [1, 0, 0.5] → [0.75, −0.75, 0].
 */
public final class RlooEstimator implements AdvantageEstimator {

    @Override
    public AdvantageResult compute(AdvantageInput input) {
        double[] r = input.scores();
        double[] a = new double[r.length];
        for (List<Integer> group : Groups.indices(input.groupIds()).values()) {
            int g = group.size();
            double sum = 0;
            for (int i : group) {
                sum += r[i];
            }
            for (int i : group) {
                a[i] = g == 1 ? r[i] : r[i] - (sum - r[i]) / (g - 1);
            }
        }
        double[][] advantages = Groups.broadcast(a, input.mask());
        return new AdvantageResult(advantages, advantages);
    }
}
