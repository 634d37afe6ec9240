package troupe.core.pareto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HypervolumeTest {

    private static final double TOL = 1e-9;

    /** Inclusion–exclusion: HV = Σ_{∅≠S} (−1)^{|S|+1} Π_k (min_{p∈S} p_k − ρ_k), for points dominating ρ. */
    static double inclusionExclusion(List<double[]> points, double[] ref) {
        List<double[]> kept = Dominance.dominatingReference(points, ref);
        int n = kept.size();
        double hv = 0;
        for (int mask = 1; mask < (1 << n); mask++) {
            double vol = 1;
            for (int k = 0; k < ref.length; k++) {
                double min = Double.POSITIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    if ((mask & (1 << i)) != 0) {
                        min = Math.min(min, kept.get(i)[k]);
                    }
                }
                vol *= min - ref[k];
            }
            hv += (Integer.bitCount(mask) % 2 == 1 ? 1 : -1) * vol;
        }
        return hv;
    }

    static List<double[]> randomPoints(Random r, int n, int d) {
        List<double[]> pts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] p = new double[d];
            for (int k = 0; k < d; k++) {
                // coarse grid so that ties between coordinates occur
                p[k] = r.nextInt(9) * 0.25 - 0.25;
            }
            pts.add(p);
        }
        return pts;
    }

    @Test
    void twoDimensionalWorkedExampleIs10point5() {
        List<double[]> p = List.of(new double[] {1, 5}, new double[] {2, 4}, new double[] {1.5, 3},
                new double[] {3, 1}, new double[] {4, 0.5});
        double[] ref = {0, 0};
        assertEquals(10.5, Hypervolume.hv2(p, ref), TOL);
        assertEquals(10.5, Hypervolume.hso(p, ref), TOL);
        assertEquals(10.5, inclusionExclusion(p, ref), TOL);
    }

    @Test
    void threeDimensionalWorkedExampleIs7() {
        List<double[]> p = List.of(new double[] {1, 1, 3}, new double[] {2, 2, 1}, new double[] {3, 1, 1});
        double[] ref = {0, 0, 0};
        assertEquals(7, Hypervolume.hv3(p, ref), TOL);
        assertEquals(7, Hypervolume.hso(p, ref), TOL);
        assertEquals(7, inclusionExclusion(p, ref), TOL);
    }

    @Test
    void dynamicWeightingExampleGivesDeltaOf0point0025() {
        double[] ref = {0.5, 0.4};
        List<double[]> before = List.of(new double[] {0.6, 0.5});
        List<double[]> after = List.of(new double[] {0.6, 0.5}, new double[] {0.65, 0.45});
        assertEquals(0.01, Hypervolume.of(before, ref), TOL);
        assertEquals(0.0125, Hypervolume.of(after, ref), TOL);
    }

    @Test
    void pointsNotStrictlyBetterThanTheReferenceAddNothing() {
        double[] ref = {0, 0};
        // (2, -1) would give a negative width in an unfiltered recursion; (3, 0) lies on the boundary
        List<double[]> p = List.of(new double[] {1, 1}, new double[] {2, -1}, new double[] {3, 0});
        assertEquals(1, Hypervolume.hv2(p, ref), TOL);
        assertEquals(1, Hypervolume.hso(p, ref), TOL);
        assertEquals(0, Hypervolume.of(List.of(), ref), TOL);
    }

    @Test
    void slicingAgreesWithHv2AndHv3AndInclusionExclusionOnRandomSets() {
        Random r = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            int d = 2 + trial % 5; // 2..6
            List<double[]> pts = randomPoints(r, 1 + r.nextInt(9), d);
            double[] ref = new double[d];
            double expected = inclusionExclusion(pts, ref);
            assertEquals(expected, Hypervolume.hso(pts, ref), 1e-9, "trial " + trial + " d=" + d);
            assertEquals(expected, Hypervolume.of(pts, ref), 1e-9, "trial " + trial + " d=" + d);
            if (d == 2) {
                assertEquals(expected, Hypervolume.hv2(pts, ref), 1e-9);
            }
            if (d == 3) {
                assertEquals(expected, Hypervolume.hv3(pts, ref), 1e-9);
            }
        }
    }

    @Test
    void rejectsMoreThanSixObjectives() {
        assertThrows(IllegalArgumentException.class, () -> Hypervolume.of(List.of(new double[7]), new double[7]));
    }

    @Test
    void dominanceFilterKeepsTheFrontOnce() {
        List<double[]> p = List.of(new double[] {1, 5}, new double[] {2, 4}, new double[] {1.5, 3},
                new double[] {2, 4}, new double[] {0, 0});
        List<double[]> front = Dominance.nonDominated(p);
        assertEquals(2, front.size());
        assertTrue(Dominance.dominates(new double[] {2, 4}, new double[] {1.5, 3}));
        assertFalse(Dominance.dominates(new double[] {2, 4}, new double[] {2, 4}), "equal points do not dominate");
        assertFalse(Dominance.dominates(new double[] {1, 5}, new double[] {2, 4}));
    }
}
