package troupe.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** What {@code Control.SetWeighting} asks for: a registered strategy or fixed linear weights. */
public sealed interface WeightingChange {

    /** Switch to a registered strategy ("fixed-linear", "gdpo", "hypervolume", "mirror-descent", "maxmin", ...). */
    record Strategy(String name) implements WeightingChange {
        public Strategy {
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * Fixed linear weights, already checked at the edge: every value finite and &gt;= 0, at least
     * one &gt; 0. Not yet renormalised; the pipeline renormalises to sum 1 and checks that every
     * active objective is named.
     */
    record Fixed(Map<String, Double> weights) implements WeightingChange {
        public Fixed {
            weights = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(weights));
        }
    }
}
