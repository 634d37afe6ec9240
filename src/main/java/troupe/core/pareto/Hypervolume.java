package troupe.core.pareto;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * Exact hypervolume of a point set for maximisation with reference point ρ: the Lebesgue measure
 * of ⋃_p [ρ, p] (ALGORITHMS.md §6). Points not strictly better than ρ in every coordinate are
 * dropped first. Inputs are never modified.
 *
 * <ul>
 *   <li>{@link #hv2}: sort by f1 descending, sweep f2 — O(n log n).
 *   <li>{@link #hv3}: slice along f3 and sum slab thickness × HV2 — O(n² log n).
 *   <li>{@link #hso}: Hypervolume by Slicing Objectives (While, Hingston, Barone, Huband, IEEE
 *       TEC 10(1), 2006): the same slicing, recursively, in any dimension down to 1-D. Exact;
 *       exponential in d, fine for the small fronts of {@link #MAX_DIMENSIONS} objectives here.
 * </ul>
 */
public final class Hypervolume {

    /** Largest dimension {@link #of} accepts. */
    public static final int MAX_DIMENSIONS = 6;

    private Hypervolume() {}

    /** Exact hypervolume in 1..{@value #MAX_DIMENSIONS} dimensions (HV2/HV3 where they apply). */
    public static double of(List<double[]> points, double[] reference) {
        int d = reference.length;
        if (d < 1 || d > MAX_DIMENSIONS) {
            throw new IllegalArgumentException("hypervolume supports 1.." + MAX_DIMENSIONS + " objectives, got " + d);
        }
        return switch (d) {
            case 2 -> hv2(points, reference);
            case 3 -> hv3(points, reference);
            default -> hso(points, reference);
        };
    }

    /** HV2: sort by f1 descending; each point adds (f1 − ρ1)·(f2 − previous f2) when f2 rises. */
    public static double hv2(List<double[]> points, double[] reference) {
        requireDimension(reference, 2);
        List<double[]> kept = Dominance.dominatingReference(points, reference);
        kept.sort(Comparator.<double[]>comparingDouble(p -> p[0]).reversed());
        double prev = reference[1];
        double hv = 0;
        for (double[] p : kept) {
            if (p[1] > prev) {
                hv += (p[0] - reference[0]) * (p[1] - prev);
                prev = p[1];
            }
        }
        return hv;
    }

    /** HV3 = Σ_k (z_k − z_{k+1})·HV2({p : p3 ≥ z_k}, ρ12), z over distinct f3 descending, z_{K+1} = ρ3. */
    public static double hv3(List<double[]> points, double[] reference) {
        requireDimension(reference, 3);
        List<double[]> kept = Dominance.dominatingReference(points, reference);
        double[] ref12 = {reference[0], reference[1]};
        double hv = 0;
        List<Double> levels = distinctDescending(kept, 2);
        for (int k = 0; k < levels.size(); k++) {
            double z = levels.get(k);
            double next = k + 1 < levels.size() ? levels.get(k + 1) : reference[2];
            hv += (z - next) * hv2(projectAtLeast(kept, 2, z), ref12);
        }
        return hv;
    }

    /** HSO slicing in any dimension ≥ 1, recursing on the last coordinate down to 1-D. */
    public static double hso(List<double[]> points, double[] reference) {
        List<double[]> kept = Dominance.dominatingReference(points, reference);
        return slice(Dominance.nonDominated(kept), reference, reference.length);
    }

    private static double slice(List<double[]> points, double[] reference, int d) {
        if (points.isEmpty()) {
            return 0;
        }
        if (d == 1) {
            double best = reference[0];
            for (double[] p : points) {
                best = Math.max(best, p[0]);
            }
            return best - reference[0];
        }
        int axis = d - 1;
        List<Double> levels = distinctDescending(points, axis);
        double hv = 0;
        for (int k = 0; k < levels.size(); k++) {
            double z = levels.get(k);
            double next = k + 1 < levels.size() ? levels.get(k + 1) : reference[axis];
            List<double[]> slab = Dominance.nonDominated(projectAtLeast(points, axis, z));
            hv += (z - next) * slice(slab, reference, axis);
        }
        return hv;
    }

    /** The points with coordinate {@code axis} ≥ z, truncated to their first {@code axis} coordinates. */
    private static List<double[]> projectAtLeast(List<double[]> points, int axis, double z) {
        List<double[]> out = new ArrayList<>();
        for (double[] p : points) {
            if (p[axis] >= z) {
                out.add(java.util.Arrays.copyOf(p, axis));
            }
        }
        return out;
    }

    private static List<Double> distinctDescending(List<double[]> points, int axis) {
        TreeSet<Double> set = new TreeSet<>(Comparator.reverseOrder());
        for (double[] p : points) {
            set.add(p[axis]);
        }
        return new ArrayList<>(set);
    }

    private static void requireDimension(double[] reference, int d) {
        if (reference.length != d) {
            throw new IllegalArgumentException("expected a " + d + "-D reference point, got " + reference.length + "-D");
        }
    }
}
