package troupe.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The weighting in force from the next step.
 *
 * @param strategy strategy name
 * @param weights objective name → weight, summing to 1
 */
public record WeightingState(String strategy, Map<String, Double> weights) {
    public WeightingState {
        Objects.requireNonNull(strategy, "strategy");
        weights = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(weights));
    }
}
