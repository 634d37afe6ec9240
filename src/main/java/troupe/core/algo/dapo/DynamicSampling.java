package troupe.core.algo.dapo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import troupe.core.algo.FiniteChecks;

/**
 * DAPO dynamic sampling (Yu et al., arXiv 2503.14476; verl {@code filter_groups}): a group whose
 * rewards are all equal has zero advantage under every group-relative estimator and only burns
 * compute, so it is dropped. Example: a group [1, 1, 1, 1] is dropped. Keep generating until the
 * batch is full with {@link GroupBatchFiller}.
 */
public final class DynamicSampling {

    private DynamicSampling() {}

    /** True when the rewards are not all equal (std > 0), i.e. the group carries signal. */
    public static boolean hasVariance(double[] groupRewards) {
        FiniteChecks.requireFinite("groupRewards", groupRewards);
        for (double r : groupRewards) {
            if (r != groupRewards[0]) {
                return true;
            }
        }
        return false;
    }

    /** True when any objective's rewards differ within the group ({@code rewards[k][i]}: objective k, sample i). */
    public static boolean hasVariance(double[][] rewards) {
        for (double[] column : rewards) {
            if (hasVariance(column)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param scores [B] outcome rewards
     * @param groupIds [B]
     * @return indices of the samples whose group has non-zero reward variance, in input order
     */
    public static int[] keptIndices(double[] scores, int[] groupIds) {
        FiniteChecks.requireFinite("scores", scores);
        Map<Integer, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < groupIds.length; i++) {
            groups.computeIfAbsent(groupIds[i], k -> new ArrayList<>()).add(i);
        }
        boolean[] keep = new boolean[scores.length];
        for (List<Integer> members : groups.values()) {
            double[] rewards = members.stream().mapToDouble(i -> scores[i]).toArray();
            if (hasVariance(rewards)) {
                members.forEach(i -> keep[i] = true);
            }
        }
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < keep.length; i++) {
            if (keep[i]) {
                kept.add(i);
            }
        }
        return kept.stream().mapToInt(Integer::intValue).toArray();
    }
}
