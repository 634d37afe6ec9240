package troupe.core.weighting;

import com.google.gson.JsonElement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import troupe.core.config.ConfigReader;
import troupe.core.reward.Objective;

/**
 * Fixed linear scalarisation r_i = Σ_k w_k·s_k·r_ik, with s_k = −1 for minimised objectives
 * (ALGORITHMS.md §6). The weights change only when objectives join or leave.
 */
public final class FixedLinearStrategy extends AbstractWeightingStrategy {

    public static final String NAME = "fixed-linear";

    /** The {@code weighting.fixed-linear} block: no keys of its own (the weights are the shared initial-weights). */
    public record Settings() {
        public static Settings fromConfig(ConfigReader r) {
            r.requireOnly(Set.of());
            return new Settings();
        }
    }

    public FixedLinearStrategy(SimplexSettings simplex, List<Objective> initial) {
        super(NAME, simplex, initial);
    }

    @Override
    protected WeightingResult doStep(WeightingInput input) {
        double[] w = weights.restrictedTo(input.names());
        return result(input, Scalarization.linear(input.oriented(), w), WeightingResult.Kind.REWARD, w, 1.0, Map.of());
    }

    @Override
    protected JsonElement extraState() {
        return null;
    }

    @Override
    protected void restoreExtra(JsonElement extra) {}
}
