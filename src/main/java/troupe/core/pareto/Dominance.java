package troupe.core.pareto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Pareto dominance for maximisation (ALGORITHMS.md §6): a dominates b iff a_i ≥ b_i for every i
 * and a_j &gt; b_j for some j. Minimised objectives are sign-flipped by the caller.
 */
public final class Dominance {

    private Dominance() {}

    /** True when {@code a} dominates {@code b}; both have the same dimension. */
    public static boolean dominates(double[] a, double[] b) {
        requireSameDimension(a, b);
        boolean strictly = false;
        for (int i = 0; i < a.length; i++) {
            if (a[i] < b[i]) {
                return false;
            }
            strictly |= a[i] > b[i];
        }
        return strictly;
    }

    /** True when {@code p} is strictly better than {@code reference} in every coordinate. */
    public static boolean strictlyBetter(double[] p, double[] reference) {
        requireSameDimension(p, reference);
        for (int i = 0; i < p.length; i++) {
            if (!(p[i] > reference[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * The non-dominated subset, in input order; of several identical points only the first is
     * kept. O(n²·d).
     */
    public static List<double[]> nonDominated(List<double[]> points) {
        List<double[]> front = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            double[] p = points.get(i);
            boolean keep = true;
            for (int j = 0; j < points.size() && keep; j++) {
                double[] q = points.get(j);
                keep = !(dominates(q, p) || (j < i && Arrays.equals(q, p)));
            }
            if (keep) {
                front.add(p);
            }
        }
        return front;
    }

    /**
     * The points that are strictly better than the reference in every coordinate. The authors'
     * hypervolume recursion can return negative widths for the others (ALGORITHMS.md §6a).
     */
    public static List<double[]> dominatingReference(List<double[]> points, double[] reference) {
        List<double[]> kept = new ArrayList<>();
        for (double[] p : points) {
            if (strictlyBetter(p, reference)) {
                kept.add(p);
            }
        }
        return kept;
    }

    static void requireSameDimension(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("dimension mismatch: " + a.length + " vs " + b.length);
        }
    }
}
