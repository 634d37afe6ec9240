package troupe.core.algo.advantage;

import java.util.List;

/**
 * GRPO (DeepSeekMath, arXiv 2402.03300) and Dr. GRPO (arXiv 2503.20783) outcome advantages,
 * broadcast over each response's real tokens.
 *
 * <pre>
 * grpo     A_i = (r_i − mean_g) / (std_g + ε)     std unbiased (verl, TRL) or population
 * dr-grpo  A_i =  r_i − mean_g                    (verl norm_adv_by_std_in_grpo = False)
 * </pre>
 *
 * With {@code grpo-scale = batch} (TRL's {@code scale_rewards="batch"}) the std is that of the
 * whole batch: a group whose rewards barely differ then gets small advantages instead of ±1, which
 * matters with several objectives, where a group that is all-wrong on the main objective would
 * otherwise be steered at full strength by whatever small differences a side objective shows.
 * A group of size 1 gets mean 0 and std 1 (verl). Example, group [1, 0, 0.5]:
 * verl (ε = 1e-6) [0.999998, −0.999998, 0]; TRL (ε = 1e-4) [0.9998, −0.9998, 0];
 * population std [1.224742, −1.224742, 0]; Dr. GRPO [0.5, −0.5, 0].
 * Uses {@link AdvantageInput#scores()}, never token rewards.
 */
public final class GrpoEstimator implements AdvantageEstimator {

    private final boolean normalizeByStd;
    private final boolean unbiasedStd;
    private final double epsilon;

    /** GRPO: divide by the group std. */
    public static GrpoEstimator grpo(AdvantageSettings settings) {
        return new GrpoEstimator(true, settings.grpoStd().equals("unbiased"), settings.grpoEpsilon(),
                settings.grpoScale().equals("batch"));
    }

    /** Dr. GRPO: centre only. */
    public static GrpoEstimator drGrpo(AdvantageSettings settings) {
        return new GrpoEstimator(false, true, settings.grpoEpsilon(), false);
    }

    private final boolean batchStd;

    private GrpoEstimator(boolean normalizeByStd, boolean unbiasedStd, double epsilon, boolean batchStd) {
        this.batchStd = batchStd;
        this.normalizeByStd = normalizeByStd;
        this.unbiasedStd = unbiasedStd;
        this.epsilon = epsilon;
    }

    @Override
    public AdvantageResult compute(AdvantageInput input) {
        double[] r = input.scores();
        double[] a = new double[r.length];
        List<Integer> all = java.util.stream.IntStream.range(0, r.length).boxed().toList();
        double batch = r.length > 1 ? Groups.std(r, all, unbiasedStd) : 1.0;
        for (List<Integer> group : Groups.indices(input.groupIds()).values()) {
            boolean single = group.size() == 1;
            double mean = single ? 0.0 : Groups.mean(r, group);
            double std = batchStd ? batch : single ? 1.0 : Groups.std(r, group, unbiasedStd);
            for (int i : group) {
                a[i] = normalizeByStd ? (r[i] - mean) / (std + epsilon) : r[i] - mean;
            }
        }
        double[][] advantages = Groups.broadcast(a, input.mask());
        return new AdvantageResult(advantages, advantages);
    }
}
