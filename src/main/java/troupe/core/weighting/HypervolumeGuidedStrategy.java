package troupe.core.weighting;

import com.google.gson.JsonElement;
import com.typesafe.config.Config;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import troupe.core.pareto.Hypervolume;
import troupe.core.pareto.ParetoArchive;
import troupe.core.reward.ConfigKeys;
import troupe.core.reward.Objective;

/**
 * Hypervolume-guided adaptation (Lu et al., arXiv 2509.11452, §6a; the authors' released code):
 * the preference weights stay fixed and a global multiplier scales the scalarised reward.
 *
 * <pre>
 * P_t  = held-out per-objective means of the current policy (sign-flipped when minimised)
 * first P: reference ρ = P_0, buffer = {}, m = initial
 * later:   ΔHV = max(HV(buffer ∪ {P_t}; ρ) − HV(buffer; ρ), 0);  m = base + gain·tanh(ΔHV)
 *          if ΔHV &gt; 0: buffer += P_t (kept non-dominated)
 * reward:  r_i = m · Σ_k w_k·s_k·r_ik
 * </pre>
 *
 * The two pitfalls ALGORITHMS.md warns about are handled: points not strictly better than ρ in
 * every objective contribute nothing ({@link Hypervolume} filters them), and coordinates are
 * rescaled before the volume is taken (see {@link Rescale}) so that m does not saturate on raw
 * units such as token counts. A step without validation keeps m.
 */
public final class HypervolumeGuidedStrategy extends AbstractWeightingStrategy {

    public static final String NAME = "hypervolume";

    public enum Rescale {
        /** Raw units (the authors' code; m saturates on large units). */
        NONE,
        /** Divide axis k by max(|ρ_k|, minScale): volume in units of the starting values. */
        REFERENCE,
        /** Divide axis k by {@code scales[k]} (missing names: 1). */
        FIXED
    }

    /**
     * @param base m with no improvement; default 0.5 (authors)
     * @param gain m = base + gain·tanh(ΔHV) ∈ [base, base + gain); default 1.5 (authors)
     * @param initialMultiplier m before the first ΔHV; default 1
     * @param rescale default REFERENCE
     * @param minScale floor of the REFERENCE scale, &gt; 0; default 1 (leaves [0, 1] objectives as they are)
     * @param scales per-objective scales for FIXED; default empty
     */
    public record Settings(double base, double gain, double initialMultiplier, Rescale rescale, double minScale,
            Map<String, Double> scales) {
        public Settings {
            scales = Map.copyOf(scales);
            if (!(minScale > 0)) {
                throw new IllegalArgumentException("min-scale must be > 0, got " + minScale);
            }
        }

        public static Settings defaults() {
            return new Settings(0.5, 1.5, 1.0, Rescale.REFERENCE, 1.0, Map.of());
        }

        public static Settings fromConfig(Config c) {
            Set<String> keys = new HashSet<>(SimplexSettings.KEYS);
            keys.addAll(Set.of("base", "gain", "initial-multiplier", "rescale", "min-scale", "scales"));
            ConfigKeys.requireOnly(c, keys, NAME);
            Settings d = defaults();
            Map<String, Double> scales = new LinkedHashMap<>();
            if (c.hasPath("scales")) {
                Config block = c.getConfig("scales");
                block.root().keySet().forEach(k -> scales.put(k, block.getDouble("\"" + k + "\"")));
            }
            return new Settings(ConfigKeys.number(c, "base", d.base()), ConfigKeys.number(c, "gain", d.gain()),
                    ConfigKeys.number(c, "initial-multiplier", d.initialMultiplier()),
                    ConfigKeys.enumValue(c, "rescale", Rescale.class, d.rescale()),
                    ConfigKeys.number(c, "min-scale", d.minScale()), scales);
        }
    }

    /** Checkpointed state beyond the weights. */
    record State(double multiplier, ParetoArchive.Snapshot archive) {}

    private final Settings settings;
    private final ParetoArchive archive = new ParetoArchive();
    private double multiplier;

    public HypervolumeGuidedStrategy(Settings settings, SimplexSettings simplex, List<Objective> initial) {
        super(NAME, simplex, initial);
        this.settings = settings;
        this.multiplier = settings.initialMultiplier();
    }

    @Override
    public boolean needsValidation() {
        return true;
    }

    /** The current multiplier m. */
    public double multiplier() {
        return multiplier;
    }

    @Override
    protected WeightingResult doStep(WeightingInput input) {
        Map<String, Double> diag = new LinkedHashMap<>();
        Map<String, Double> point = orientedValidation(input.validation());
        if (!point.isEmpty()) {
            boolean first = !archive.anchored();
            point.forEach(archive::addAxis); // anchors ρ on first sight of each objective
            if (first) {
                diag.put("hv.anchored", 1.0);
            } else if (!point.keySet().containsAll(archive.axes()) || archive.axes().size() > Hypervolume.MAX_DIMENSIONS) {
                diag.put("hv.skipped", 1.0);
            } else {
                Map<String, Double> scales = scales();
                double delta = Math.max(archive.contribution(point, scales), 0);
                multiplier = settings.base() + settings.gain() * Math.tanh(delta);
                if (delta > 0) {
                    archive.add(point);
                }
                diag.put("hv.delta", delta);
                diag.put("hv.value", archive.hypervolume(scales));
            }
        }
        diag.put("hv.buffer", (double) archive.size());
        double[] w = weights.restrictedTo(input.names());
        double[] r = Scalarization.linear(input.oriented(), w);
        for (int i = 0; i < r.length; i++) {
            r[i] *= multiplier;
        }
        return result(input, r, WeightingResult.Kind.REWARD, w, multiplier, diag);
    }

    @Override
    protected void onObjectiveRemoved(String objective) {
        archive.removeAxis(objective);
    }

    @Override
    protected JsonElement extraState() {
        return GSON.toJsonTree(new State(multiplier, archive.snapshot()));
    }

    @Override
    protected void restoreExtra(JsonElement extra) {
        State s = GSON.fromJson(extra, State.class);
        multiplier = s.multiplier();
        archive.restore(s.archive());
    }

    /** Validation means of tracked objectives, "larger is better". */
    private Map<String, Double> orientedValidation(Map<String, Double> validation) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Objective o : tracked.values()) {
            Double v = validation.get(o.name());
            if (v != null) {
                out.put(o.name(), o.direction().sign() * v);
            }
        }
        return out;
    }

    private Map<String, Double> scales() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : archive.reference().entrySet()) {
            double s = switch (settings.rescale()) {
                case NONE -> 1.0;
                case REFERENCE -> Math.max(Math.abs(e.getValue()), settings.minScale());
                case FIXED -> settings.scales().getOrDefault(e.getKey(), 1.0);
            };
            out.put(e.getKey(), s);
        }
        return out;
    }
}
