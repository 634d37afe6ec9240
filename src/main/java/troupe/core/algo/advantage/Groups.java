package troupe.core.algo.advantage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Group statistics over samples that share a prompt (group id), in order of first appearance. */
final class Groups {

    private Groups() {}

    /** Sample indices per group id. */
    static Map<Integer, List<Integer>> indices(int[] groupIds) {
        Map<Integer, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < groupIds.length; i++) {
            groups.computeIfAbsent(groupIds[i], k -> new ArrayList<>()).add(i);
        }
        return groups;
    }

    static double mean(double[] x, List<Integer> members) {
        double sum = 0;
        for (int i : members) {
            sum += x[i];
        }
        return sum / members.size();
    }

    /** Standard deviation; {@code unbiased} divides by G − 1 (torch.std), else by G. */
    static double std(double[] x, List<Integer> members, boolean unbiased) {
        double mean = mean(x, members);
        double ss = 0;
        for (int i : members) {
            ss += (x[i] - mean) * (x[i] - mean);
        }
        return Math.sqrt(ss / (unbiased ? members.size() - 1 : members.size()));
    }

    /** Broadcasts a per-sample value over the real tokens of each row: out[i,t] = a_i·mask[i,t]. */
    static double[][] broadcast(double[] perSample, double[][] mask) {
        double[][] out = new double[mask.length][];
        for (int i = 0; i < mask.length; i++) {
            out[i] = new double[mask[i].length];
            for (int t = 0; t < mask[i].length; t++) {
                out[i][t] = mask[i][t] == 0 ? 0 : perSample[i];
            }
        }
        return out;
    }
}
