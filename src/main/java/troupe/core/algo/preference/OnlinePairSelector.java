package troupe.core.algo.preference;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import troupe.core.algo.FiniteChecks;

/**
 * Online DPO pair selection (Guo et al., arXiv 2402.04792; TRL {@code OnlineDPOTrainer} for K = 2;
 * RLHFlow-style iterative DPO, arXiv 2405.07863, for K > 2): from K ≥ 2 on-policy samples of one
 * prompt, chosen = the first maximum, rejected = the first minimum; a prompt whose rewards are all
 * equal yields no pair. Example: [0.2, 0.9, 0.5, 0.9] → chosen 1, rejected 0.
 *
 * <p>A minimum gap g ≥ 0 widens "equal": max − min ≤ g yields no pair. A pair turns any reward
 * difference into a full-strength preference, so without a gap a side objective of small weight
 * decides every pair of a group that ties on the main one (ALGORITHMS.md §5 skips only exact ties).
 */
public final class OnlinePairSelector {

    private OnlinePairSelector() {}

    /** Indices into the caller's samples. */
    public record Pair(int chosen, int rejected) {}

    /** The pair for one prompt's K rewards, or empty when max = min. */
    public static Optional<Pair> select(double[] rewards) {
        return select(rewards, 0);
    }

    /** The pair for one prompt's K rewards, or empty when max − min ≤ {@code minGap}. */
    public static Optional<Pair> select(double[] rewards, double minGap) {
        if (!(minGap >= 0)) {
            throw new IllegalArgumentException("minimum reward gap must be >= 0, got " + minGap);
        }
        if (rewards.length < 2) {
            throw new IllegalArgumentException("online DPO needs K >= 2 samples per prompt, got " + rewards.length);
        }
        FiniteChecks.requireFinite("rewards", rewards);
        int best = 0;
        int worst = 0;
        for (int k = 1; k < rewards.length; k++) {
            if (rewards[k] > rewards[best]) {
                best = k;
            }
            if (rewards[k] < rewards[worst]) {
                worst = k;
            }
        }
        return rewards[best] - rewards[worst] <= minGap ? Optional.empty() : Optional.of(new Pair(best, worst));
    }

    /**
     * Pairs for a whole batch: samples grouped by prompt id (in order of first appearance);
     * indices in the result refer to the batch.
     */
    public static List<Pair> selectAll(double[] rewards, int[] groupIds) {
        return selectAll(rewards, groupIds, 0);
    }

    /** {@link #selectAll(double[], int[])} with a minimum gap, as {@link #select(double[], double)}. */
    public static List<Pair> selectAll(double[] rewards, int[] groupIds, double minGap) {
        Map<Integer, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < groupIds.length; i++) {
            groups.computeIfAbsent(groupIds[i], k -> new ArrayList<>()).add(i);
        }
        List<Pair> pairs = new ArrayList<>();
        for (List<Integer> members : groups.values()) {
            double[] r = members.stream().mapToDouble(i -> rewards[i]).toArray();
            select(r, minGap).ifPresent(p -> pairs.add(new Pair(members.get(p.chosen()), members.get(p.rejected()))));
        }
        return pairs;
    }
}
