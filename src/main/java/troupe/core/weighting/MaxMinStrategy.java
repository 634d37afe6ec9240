package troupe.core.weighting;

import com.google.gson.JsonElement;
import com.google.gson.reflect.TypeToken;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import troupe.core.config.ConfigReader;
import troupe.core.config.SettingsException;
import troupe.core.reward.Objective;

/**
 * MaxMin policy step (Chakraborty et al., arXiv 2402.08925): optimise the worst-off objective.
 *
 * <pre>
 * U_k = mean_i s_k·r_ik                      (optionally U ← ema·U_prev + (1 − ema)·U)
 * hard (temperature = 0): w = onehot(argmin_k U_k)   (ties: first in batch order)
 * soft (temperature τ &gt; 0): w = softmax(−U/τ)      (→ hard as τ → 0, → uniform as τ → ∞)
 * r_i = Σ_k w_k·s_k·r_ik
 * </pre>
 *
 * Example: U = (0.7, 0.4) selects objective 2. U compares objectives on their own scales, so feed
 * rewards of comparable range (e.g. after {@code ObjectiveNormalizer}). The weights are re-derived
 * every step, so a joining objective's initial share lasts until its first batch.
 */
public final class MaxMinStrategy extends AbstractWeightingStrategy {

    public static final String NAME = "maxmin";
    public static final String SOFT_NAME = "soft-maxmin";

    /**
     * The {@code weighting.maxmin} and {@code weighting.soft-maxmin} blocks (defaults in reference.conf).
     *
     * @param temperature 0 for the hard min; &gt; 0 for the soft variant
     * @param ema smoothing of U across steps in [0, 1); 0 = this batch only
     */
    public record Settings(double temperature, double ema) {
        public Settings {
            if (!(temperature >= 0) || !(ema >= 0 && ema < 1)) {
                throw new IllegalArgumentException("need temperature >= 0 and ema in [0, 1), got " + temperature + ", "
                        + ema);
            }
        }

        public static Settings fromConfig(ConfigReader r) {
            r.requireOnly(Set.of("temperature", "ema"));
            double ema = r.doubleIn("ema", 0, 1);
            if (ema == 1) {
                throw new SettingsException(r.key("ema"), "a number in [0, 1)", ema);
            }
            return new Settings(r.doubleIn("temperature", 0, 1e6), ema);
        }
    }

    private final Settings settings;
    private final LinkedHashMap<String, Double> utility = new LinkedHashMap<>();

    public MaxMinStrategy(String name, Settings settings, SimplexSettings simplex, List<Objective> initial) {
        super(name, simplex, initial);
        this.settings = settings;
    }

    /** Hard or soft weights from utilities U (larger is better). */
    public static double[] weightsFor(double[] u, double temperature) {
        double[] w = new double[u.length];
        if (temperature == 0) {
            int argmin = 0;
            for (int k = 1; k < u.length; k++) {
                if (u[k] < u[argmin]) {
                    argmin = k;
                }
            }
            w[argmin] = 1;
            return w;
        }
        double[] z = new double[u.length];
        for (int k = 0; k < u.length; k++) {
            z[k] = -u[k] / temperature;
        }
        return Scalarization.softmax(z);
    }

    @Override
    protected WeightingResult doStep(WeightingInput input) {
        List<String> names = input.names();
        double[][] oriented = input.oriented();
        double[] u = new double[names.size()];
        Map<String, Double> diag = new LinkedHashMap<>();
        for (int k = 0; k < u.length; k++) {
            double mean = 0;
            for (double[] row : oriented) {
                mean += row[k] / oriented.length;
            }
            Double prev = utility.get(names.get(k));
            u[k] = prev == null ? mean : settings.ema() * prev + (1 - settings.ema()) * mean;
            utility.put(names.get(k), u[k]);
            diag.put("maxmin.U." + names.get(k), u[k]);
        }
        double[] w = weightsFor(u, settings.temperature());
        Map<String, Double> all = weights.asMap();
        double absentMass = 0;
        for (Map.Entry<String, Double> e : all.entrySet()) {
            absentMass += names.contains(e.getKey()) ? 0 : e.getValue();
        }
        for (int k = 0; k < w.length; k++) {
            all.put(names.get(k), w[k] * (1 - absentMass));
        }
        weights.set(all);
        return result(input, Scalarization.linear(oriented, w), WeightingResult.Kind.REWARD, w, 1.0, diag);
    }

    @Override
    protected void onObjectiveRemoved(String objective) {
        utility.remove(objective);
    }

    @Override
    protected JsonElement extraState() {
        return GSON.toJsonTree(utility);
    }

    @Override
    protected void restoreExtra(JsonElement extra) {
        utility.clear();
        utility.putAll(GSON.<Map<String, Double>>fromJson(extra, new TypeToken<LinkedHashMap<String, Double>>() {}.getType()));
    }
}
