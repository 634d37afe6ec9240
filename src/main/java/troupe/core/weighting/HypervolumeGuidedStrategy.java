package troupe.core.weighting;

import com.google.gson.JsonElement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import troupe.core.config.ConfigReader;
import troupe.core.pareto.Hypervolume;
import troupe.core.pareto.ParetoArchive;
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
     * The {@code weighting.hypervolume} block (defaults, the authors', in reference.conf).
     *
     * @param base m with no improvement (authors 0.5)
     * @param gain m = base + gain·tanh(ΔHV) ∈ [base, base + gain) (authors 1.5)
     * @param initialMultiplier m before the first ΔHV
     * @param rescale how coordinates are scaled before the volume is taken
     * @param minScale floor of the REFERENCE scale, &gt; 0 (1 leaves [0, 1] objectives as they are)
     * @param scales per-objective scales for FIXED (missing names: 1)
     */
    public record Settings(double base, double gain, double initialMultiplier, Rescale rescale, double minScale,
            Map<String, Double> scales) {
        public Settings {
            scales = Map.copyOf(scales);
            if (!(minScale > 0)) {
                throw new IllegalArgumentException("min-scale must be > 0, got " + minScale);
            }
        }

        public static Settings fromConfig(ConfigReader r) {
            r.requireOnly(Set.of("base", "gain", "initial-multiplier", "rescale", "min-scale", "scales"));
            return new Settings(r.doubleIn("base", -1e6, 1e6), r.doubleIn("gain", -1e6, 1e6),
                    r.doubleIn("initial-multiplier", -1e6, 1e6), r.enumOf("rescale", Rescale.class),
                    r.doubleAbove("min-scale", 0, 1e12),
                    SimplexSettings.numbersByName(r, "scales", Double.MIN_VALUE, Double.MAX_VALUE));
        }

        public Settings withRescale(Rescale mode, Map<String, Double> fixedScales) {
            return new Settings(base, gain, initialMultiplier, mode, minScale, fixedScales);
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
