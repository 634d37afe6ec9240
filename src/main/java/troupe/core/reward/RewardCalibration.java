package troupe.core.reward;

import java.util.Set;
import troupe.core.config.ConfigReader;

/**
 * InfAlign-CTRL calibrate-and-transform (Balashankar et al., arXiv 2412.19792; ALGORITHMS.md §8),
 * an optional transform of one objective's rewards.
 *
 * <pre>
 * calibrate: c(x, y) = P_{y'∼π_ref(·|x)}[ r(x, y') ≤ r(x, y) ]   (empirical CDF over M reference samples)
 * transform: Φ(c) = exp(t·c) (best-of-N), −exp(−t·c) (worst-of-N), or c (identity)
 * </pre>
 *
 * The tie rule is pinned by {@link Ties}: reference rewards [0.1, 0.4, 0.4, 0.7, 0.9] give
 * c(0.4) = 0.6 with AT_MOST and 0.4 with MID_RANK. Φ and t are unconfirmed in the paper.
 */
public final class RewardCalibration {

    /** How reference rewards equal to r count. */
    public enum Ties {
        /** P[r' ≤ r]: ties count fully (the formula as written). */
        AT_MOST,
        /** P[r' &lt; r] + ½·P[r' = r]: mid-rank. */
        MID_RANK
    }

    public enum Transform { IDENTITY, BEST_OF_N, WORST_OF_N }

    /**
     * Defaults in {@code troupe.rewards.transforms.calibration} (reference.conf).
     *
     * @param ties AT_MOST (the formula as written in §8) or MID_RANK
     * @param transform Φ
     * @param t transform temperature, &gt; 0 (the §8 worked example uses 4; not a paper value)
     */
    public record Settings(Ties ties, Transform transform, double t) {
        public static Settings fromConfig(ConfigReader r) {
            r.requireOnly(Set.of("ties", "transform", "t"));
            return new Settings(r.enumOf("ties", Ties.class), r.enumOf("transform", Transform.class),
                    r.doubleAbove("t", 0, Double.MAX_VALUE));
        }
    }

    private RewardCalibration() {}

    /** c ∈ [0, 1]: the empirical CDF of {@code reference} at r under the tie rule. */
    public static double calibrate(double r, double[] reference, Ties ties) {
        if (reference.length == 0) {
            throw new IllegalArgumentException("calibration needs at least one reference reward");
        }
        int below = 0;
        int equal = 0;
        for (double ref : reference) {
            if (ref < r) {
                below++;
            } else if (ref == r) {
                equal++;
            }
        }
        double tied = ties == Ties.AT_MOST ? equal : 0.5 * equal;
        return (below + tied) / reference.length;
    }

    /** Φ(c). */
    public static double transform(double c, Transform transform, double t) {
        return switch (transform) {
            case IDENTITY -> c;
            case BEST_OF_N -> Math.exp(t * c);
            case WORST_OF_N -> -Math.exp(-t * c);
        };
    }

    /**
     * Φ(c) per sample of one prompt.
     *
     * @param rewards rewards of the policy's samples for one prompt [N]
     * @param reference rewards of M reference-policy samples for the same prompt [M]
     */
    public static double[] apply(double[] rewards, double[] reference, Settings s) {
        double[] out = new double[rewards.length];
        for (int i = 0; i < rewards.length; i++) {
            out[i] = transform(calibrate(rewards[i], reference, s.ties()), s.transform(), s.t());
        }
        return out;
    }
}
