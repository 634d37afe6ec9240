package troupe.core.pareto;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A reference point and a non-dominated buffer of points whose coordinates are named objectives
 * (maximisation: callers sign-flip minimised ones). Axes are added and removed as objectives join
 * and leave a run, re-projecting the buffer:
 *
 * <ul>
 *   <li>remove: the coordinate is dropped everywhere and the buffer re-filtered for dominance;
 *   <li>add: the reference and every buffered point get the joining objective's anchor value
 *       (its first measurement). Buffered points then lie on the reference face of the new axis
 *       and add no volume until the front moves along it — the honest reading, since their
 *       values on the new objective were never measured.
 * </ul>
 *
 * Volumes are computed on rescaled coordinates x_k/scale_k (translation does not change volume).
 */
public final class ParetoArchive {

    /**
     * Serializable form.
     *
     * @param reference anchor point by axis name; empty before the first anchor
     * @param points buffered points by axis name
     */
    public record Snapshot(Map<String, Double> reference, List<Map<String, Double>> points) {}

    private final LinkedHashMap<String, Double> reference = new LinkedHashMap<>();
    private final List<LinkedHashMap<String, Double>> points = new ArrayList<>();

    public boolean anchored() {
        return !reference.isEmpty();
    }

    /** Axis names, in the order they were anchored. */
    public List<String> axes() {
        return List.copyOf(reference.keySet());
    }

    public Map<String, Double> reference() {
        return new LinkedHashMap<>(reference);
    }

    public int size() {
        return points.size();
    }

    /** Adds an axis; the reference and every buffered point take {@code anchor} on it. */
    public void addAxis(String axis, double anchor) {
        if (reference.containsKey(axis)) {
            return;
        }
        reference.put(axis, anchor);
        points.forEach(p -> p.put(axis, anchor));
    }

    /** Drops an axis everywhere and removes points that became dominated or duplicated. */
    public void removeAxis(String axis) {
        reference.remove(axis);
        points.forEach(p -> p.remove(axis));
        refilter();
    }

    /** HV(buffer ∪ {candidate}) − HV(buffer), both against the reference, on rescaled axes. */
    public double contribution(Map<String, Double> candidate, Map<String, Double> scales) {
        List<double[]> before = vectors(points, scales);
        List<double[]> after = new ArrayList<>(before);
        after.add(vector(candidate, scales));
        double[] ref = vector(reference, scales);
        return Hypervolume.of(after, ref) - Hypervolume.of(before, ref);
    }

    /** Hypervolume of the buffer on rescaled axes. */
    public double hypervolume(Map<String, Double> scales) {
        return Hypervolume.of(vectors(points, scales), vector(reference, scales));
    }

    /** Appends a point (every axis required) and keeps the buffer non-dominated. */
    public void add(Map<String, Double> point) {
        vector(point, Map.of());
        points.add(new LinkedHashMap<>(point));
        refilter();
    }

    public Snapshot snapshot() {
        List<Map<String, Double>> copy = new ArrayList<>();
        points.forEach(p -> copy.add(new LinkedHashMap<>(p)));
        return new Snapshot(new LinkedHashMap<>(reference), copy);
    }

    public void restore(Snapshot s) {
        reference.clear();
        reference.putAll(s.reference());
        points.clear();
        s.points().forEach(p -> points.add(new LinkedHashMap<>(p)));
    }

    private void refilter() {
        List<double[]> vs = vectors(points, Map.of());
        List<double[]> front = Dominance.nonDominated(vs);
        List<LinkedHashMap<String, Double>> kept = new ArrayList<>();
        for (int i = 0; i < vs.size(); i++) {
            if (front.contains(vs.get(i))) { // identity: nonDominated returns the same arrays
                kept.add(points.get(i));
            }
        }
        points.clear();
        points.addAll(kept);
    }

    private List<double[]> vectors(List<? extends Map<String, Double>> maps, Map<String, Double> scales) {
        List<double[]> out = new ArrayList<>(maps.size());
        maps.forEach(m -> out.add(vector(m, scales)));
        return out;
    }

    private double[] vector(Map<String, Double> point, Map<String, Double> scales) {
        double[] v = new double[reference.size()];
        int k = 0;
        for (String axis : reference.keySet()) {
            Double x = point.get(axis);
            if (x == null) {
                throw new IllegalArgumentException("point has no value for axis '" + axis + "': " + point);
            }
            v[k++] = x / scales.getOrDefault(axis, 1.0);
        }
        return v;
    }
}
