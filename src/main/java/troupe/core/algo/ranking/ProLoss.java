package troupe.core.algo.ranking;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * PRO, preference ranking optimisation (Song et al., arXiv 2306.17492; ALGORITHMS.md §10): a
 * listwise loss over one prompt's n responses ranked by reward, y_1 ≻ … ≻ y_n, with
 * s_i = (1/|y_i|)·Σ_t logπ(y_i,t) the policy's length-normalised score.
 *
 * <pre>
 * L_PRO = −Σ_{k=1}^{n−1} log( e^{s_k·c_kk} / Σ_{i≥k} e^{s_i·c_ki} )
 *   c = 1 without the dynamic temperature; with it (DAMO-ConvAI PRO/train/utils/process_manager.py,
 *   R the rewards sorted descending): c_ki = R_k − R_i for i &gt; k, c_kk = max_{i&gt;k}(R_k − R_i)
 * L     = L_PRO + β·(n−1)²·NLL_sum(y_1)      (the SFT term on the best; β = 0.05 in the authors' HH script)
 * </pre>
 *
 * Examples: s = [−1, −1.5, −0.5] gives L_PRO = 2.493531; with R = [3, 2, 0] and the dynamic
 * temperature 4.425844; n = 3, NLL_sum = 4, β = 0.05 gives the SFT term 0.8.
 */
public final class ProLoss {
    /** Stands for −∞ in the masked log-softmax: exp underflows to 0 in float32 and float64. */
    private static final double MASKED = -1e30;

    private ProLoss() {}

    /** Sample indices ordered by reward, best first; equal rewards keep index order. */
    public static int[] rankDescending(double[] reward) {
        return IntStream.range(0, reward.length).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -reward[i])).mapToInt(Integer::intValue).toArray();
    }

    /** True when every reward of the group is equal: no ranking to learn, the group is skipped. */
    public static boolean tied(double[] reward) {
        return reward.length < 2 || IntStream.range(1, reward.length).allMatch(i -> reward[i] == reward[0]);
    }

    /** β·(n−1)², the SFT term's weight on NLL_sum(y_1) for a group of n. */
    public static double sftWeight(int n, double beta) {
        return beta * (n - 1) * (double) (n - 1);
    }

    /**
     * The exponent coefficients c[k][i] for k in [0, n−1), i in [0, n) (0 where i &lt; k).
     *
     * @param rankedReward rewards sorted descending
     */
    static double[][] coefficients(double[] rankedReward, boolean dynamicTemperature) {
        int n = rankedReward.length;
        double[][] c = new double[n - 1][n];
        for (int k = 0; k < n - 1; k++) {
            double widest = 0;
            for (int i = k + 1; i < n; i++) {
                c[k][i] = dynamicTemperature ? rankedReward[k] - rankedReward[i] : 1;
                widest = Math.max(widest, rankedReward[k] - rankedReward[i]);
            }
            c[k][k] = dynamicTemperature ? widest : 1;
        }
        return c;
    }

    /**
     * L_PRO of one ranked group.
     *
     * @param s [n] scores of the responses in rank order, best first, with gradient; n ≥ 2
     * @param rankedReward the n rewards in the same order (descending)
     * @return 0-d, differentiable in {@code s}
     */
    public static NDArray listwise(NDArray s, double[] rankedReward, boolean dynamicTemperature) {
        int n = rankedReward.length;
        if (s.getShape().dimension() != 1 || s.size() != n || n < 2) {
            throw new IllegalArgumentException("need scores [n] for n = " + n + " >= 2 ranked rewards, got "
                    + s.getShape());
        }
        double[][] c = coefficients(rankedReward, dynamicTemperature);
        double[] coef = new double[(n - 1) * n];
        double[] masked = new double[(n - 1) * n];
        double[] diagonal = new double[(n - 1) * n];
        for (int k = 0; k < n - 1; k++) {
            for (int i = 0; i < n; i++) {
                coef[k * n + i] = c[k][i];
                masked[k * n + i] = i < k ? MASKED : 0;
                diagonal[k * n + i] = i == k ? 1 : 0;
            }
        }
        NDManager m = s.getManager();
        Shape shape = new Shape(n - 1, n);
        NDArray exponents = constant(m, coef, shape, s).mul(s.expandDims(0)).add(constant(m, masked, shape, s));
        NDArray logSoftmax = exponents.logSoftmax(1); // [n−1, n]: row k over i ≥ k
        return logSoftmax.mul(constant(m, diagonal, shape, s)).sum().neg();
    }

    private static NDArray constant(NDManager m, double[] values, Shape shape, NDArray like) {
        return m.create(values, shape).toType(like.getDataType(), false);
    }
}
