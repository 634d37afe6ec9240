package troupe.core.algo.ranking;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * RAFT's selection (Dong et al., arXiv 2304.06767; ALGORITHMS.md §10): which samples of a
 * scored batch the SFT step trains on. Ties keep the lowest index (our rule; LMFlow's
 * {@code raft_aligner.py} sorts unstably).
 *
 * <ul>
 *   <li>{@link Mode#TOP_1}: the best sample of each prompt's group (the paper's per-prompt best-of-K);</li>
 *   <li>{@link Mode#TOP_FRACTION}: the best ⌊ρ·N⌋ samples of the whole batch, at least one (LMFlow
 *       keeps the global top fraction);</li>
 *   <li>{@link Mode#THRESHOLD}: every sample whose reward is ≥ the threshold.</li>
 * </ul>
 *
 * Example: group rewards [0.2, 0.9, 0.5, 0.9], top-1 → [1]; top ρ = 0.5 → [1, 3].
 */
public final class RaftSelection {

    /** How samples are kept; config names top-1, top-fraction, threshold. */
    public enum Mode { TOP_1, TOP_FRACTION, THRESHOLD }

    /**
     * @param mode the selection
     * @param fraction ρ of {@link Mode#TOP_FRACTION}, in (0, 1]
     * @param threshold the least reward kept in {@link Mode#THRESHOLD}
     */
    public record Rule(Mode mode, double fraction, double threshold) {
        public Rule {
            if (!(fraction > 0 && fraction <= 1) || !Double.isFinite(threshold)) {
                throw new IllegalArgumentException("need 0 < fraction <= 1 and a finite threshold, got "
                        + fraction + ", " + threshold);
            }
        }
    }

    private RaftSelection() {}

    /**
     * @param reward one scalar reward per sample (after weighting), finite
     * @param groupIds the prompt group of each sample
     * @return the kept sample indices, ascending
     */
    public static int[] select(double[] reward, int[] groupIds, Rule rule) {
        if (reward.length != groupIds.length) {
            throw new IllegalArgumentException(reward.length + " rewards for " + groupIds.length + " group ids");
        }
        return switch (rule.mode()) {
            case TOP_1 -> topOfEachGroup(reward, groupIds);
            case TOP_FRACTION -> topFraction(reward, rule.fraction());
            case THRESHOLD -> IntStream.range(0, reward.length).filter(i -> reward[i] >= rule.threshold()).toArray();
        };
    }

    private static int[] topOfEachGroup(double[] reward, int[] groupIds) {
        Map<Integer, Integer> best = new LinkedHashMap<>();
        for (int i = 0; i < reward.length; i++) {
            Integer b = best.get(groupIds[i]);
            if (b == null || reward[i] > reward[b]) { // strictly greater: the first of equals stays
                best.put(groupIds[i], i);
            }
        }
        return best.values().stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    private static int[] topFraction(double[] reward, double fraction) {
        if (reward.length == 0) {
            return new int[0];
        }
        int keep = Math.max(1, (int) Math.floor(fraction * reward.length + 1e-9));
        List<Integer> order = new ArrayList<>(IntStream.range(0, reward.length).boxed().toList());
        order.sort(Comparator.comparingDouble((Integer i) -> -reward[i])); // stable: equals keep index order
        int[] kept = order.subList(0, keep).stream().mapToInt(Integer::intValue).toArray();
        Arrays.sort(kept);
        return kept;
    }
}
