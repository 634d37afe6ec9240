package troupe.core.weighting;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Named weights kept on the probability simplex (w_k ≥ 0, Σ w_k = 1) as objectives join and leave. */
final class SimplexWeights {

    private final LinkedHashMap<String, Double> w = new LinkedHashMap<>();

    /** Adds {@code name} with weight {@code share}, scaling the others by (1 − share); the first gets 1. */
    void add(String name, double share) {
        if (w.containsKey(name)) {
            return;
        }
        if (w.isEmpty()) {
            w.put(name, 1.0);
            return;
        }
        w.replaceAll((k, v) -> v * (1 - share));
        w.put(name, share);
    }

    /** Removes {@code name} and renormalises the rest (uniform if they had no mass). */
    void remove(String name) {
        w.remove(name);
        set(new LinkedHashMap<>(w));
    }

    /** Replaces all weights with {@code raw} normalised; all-zero becomes uniform. */
    void set(Map<String, Double> raw) {
        double sum = 0;
        for (double v : raw.values()) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("weights must be finite and >= 0, got " + raw);
            }
            sum += v;
        }
        LinkedHashMap<String, Double> next = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : raw.entrySet()) {
            next.put(e.getKey(), sum > 0 ? e.getValue() / sum : 1.0 / raw.size());
        }
        w.clear();
        w.putAll(next);
    }

    double get(String name) {
        return w.getOrDefault(name, 0.0);
    }

    /** The weights of {@code names}, in that order, renormalised to sum 1 (uniform if they have no mass). */
    double[] restrictedTo(List<String> names) {
        double[] out = new double[names.size()];
        double sum = 0;
        for (int k = 0; k < out.length; k++) {
            out[k] = get(names.get(k));
            sum += out[k];
        }
        for (int k = 0; k < out.length; k++) {
            out[k] = sum > 0 ? out[k] / sum : 1.0 / out.length;
        }
        return out;
    }

    Map<String, Double> asMap() {
        return new LinkedHashMap<>(w);
    }
}
