package troupe.core.weighting;

import com.google.gson.JsonElement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import troupe.core.config.ConfigReader;
import troupe.core.reward.Objective;

/**
 * Gradient-based weight optimisation by mirror descent (exponentiated gradient) on the simplex
 * (Lu et al., arXiv 2509.11452, §6b; the authors' released code):
 *
 * <pre>
 * g_k  = policy gradient of the actor loss with advantages from objective k alone   (learner)
 * G    = [⟨g_k, g_j⟩]  (K×K Gram matrix, supplied in {@link WeightingInput#gradientGram()})
 * I_k  = Σ_j G_kj                         averaged over {@code accumulate} steps
 * w    ← softmax(log w + η·I)             η = actor lr / λ  (authors: 1e-6 / 1e-5 = 0.1)
 * r_i  = Σ_k w_k·s_k·r_ik                 with the updated w
 * </pre>
 *
 * Example: G = [[1, 0.5], [0.5, 0.5]], w = (0.5, 0.5), η = 0.1 gives w′ = (0.512497, 0.487503).
 * Objectives absent from the batch keep their weight; the update redistributes only the mass of
 * those present. A step without a Gram matrix makes no update.
 */
public final class MirrorDescentStrategy extends AbstractWeightingStrategy {

    public static final String NAME = "mirror-descent";

    /**
     * The {@code weighting.mirror-descent} block (defaults, the authors', in reference.conf).
     *
     * @param stepSize η = lr/λ, &gt; 0 (authors' lr 1e-6 over regularisation 1e-5 = 0.1)
     * @param accumulate steps whose I is averaged per update, ≥ 1 (authors 1)
     */
    public record Settings(double stepSize, int accumulate) {
        public Settings {
            if (!(stepSize > 0) || accumulate < 1) {
                throw new IllegalArgumentException("need step-size > 0 and accumulate >= 1, got " + stepSize + ", "
                        + accumulate);
            }
        }

        public static Settings fromConfig(ConfigReader r) {
            r.requireOnly(Set.of("step-size", "accumulate"));
            return new Settings(r.doubleAbove("step-size", 0, 1e6), r.intIn("accumulate", 1, 1_000_000));
        }
    }

    /** Accumulated Σ I_k and how many steps contributed to each, plus steps since the last update. */
    record State(Map<String, Double> sums, Map<String, Integer> counts, int steps) {}

    private final Settings settings;
    private final LinkedHashMap<String, Double> sums = new LinkedHashMap<>();
    private final LinkedHashMap<String, Integer> counts = new LinkedHashMap<>();
    private int steps;

    public MirrorDescentStrategy(Settings settings, SimplexSettings simplex, List<Objective> initial) {
        super(NAME, simplex, initial);
        this.settings = settings;
    }

    @Override
    public boolean needsGradientGram() {
        return true;
    }

    /** One exponentiated-gradient step: softmax(log w + η·I), rescaled to the mass of {@code w}. */
    public static double[] update(double[] w, double[] importance, double stepSize) {
        double mass = 0;
        double[] logits = new double[w.length];
        for (int k = 0; k < w.length; k++) {
            mass += w[k];
            logits[k] = Math.log(w[k]) + stepSize * importance[k];
        }
        if (!(mass > 0)) {
            return w.clone(); // no mass to redistribute among these objectives
        }
        double[] next = Scalarization.softmax(logits);
        for (int k = 0; k < next.length; k++) {
            next[k] *= mass;
        }
        return next;
    }

    @Override
    protected WeightingResult doStep(WeightingInput input) {
        Map<String, Double> diag = new LinkedHashMap<>();
        double[][] gram = input.gradientGram();
        if (gram == null) {
            diag.put("md.no_gram", 1.0);
        } else {
            List<String> names = input.names();
            for (int k = 0; k < names.size(); k++) {
                double rowSum = 0;
                for (double g : gram[k]) {
                    rowSum += g;
                }
                sums.merge(names.get(k), rowSum, Double::sum);
                counts.merge(names.get(k), 1, Integer::sum);
                diag.put("md.I." + names.get(k), rowSum);
            }
            if (++steps >= settings.accumulate()) {
                applyUpdate();
                diag.put("md.updated", 1.0);
            }
        }
        double[] w = weights.restrictedTo(input.names());
        return result(input, Scalarization.linear(input.oriented(), w), WeightingResult.Kind.REWARD, w, 1.0, diag);
    }

    private void applyUpdate() {
        List<String> present = new ArrayList<>(sums.keySet());
        double[] w = new double[present.size()];
        double[] importance = new double[present.size()];
        for (int k = 0; k < w.length; k++) {
            w[k] = weights.get(present.get(k));
            importance[k] = sums.get(present.get(k)) / counts.get(present.get(k));
        }
        double[] next = update(w, importance, settings.stepSize());
        Map<String, Double> all = weights.asMap();
        for (int k = 0; k < next.length; k++) {
            all.put(present.get(k), next[k]);
        }
        weights.set(all);
        sums.clear();
        counts.clear();
        steps = 0;
    }

    @Override
    protected void onObjectiveRemoved(String objective) {
        sums.remove(objective);
        counts.remove(objective);
    }

    @Override
    protected JsonElement extraState() {
        return GSON.toJsonTree(new State(sums, counts, steps));
    }

    @Override
    protected void restoreExtra(JsonElement extra) {
        State s = GSON.fromJson(extra, State.class);
        sums.clear();
        sums.putAll(s.sums());
        counts.clear();
        counts.putAll(s.counts());
        steps = s.steps();
    }
}
