package troupe.core.weighting;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.reflect.TypeToken;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import troupe.core.reward.Objective;

/**
 * Bookkeeping every strategy shares: the tracked objectives, the simplex weights, joining and
 * leaving, restriction to the batch's objectives, and the JSON state envelope
 * {@code {strategy, objectives, weights, extra}} where {@code extra} is the subclass's own state.
 */
abstract class AbstractWeightingStrategy implements WeightingStrategy {

    /** NaN and ±Inf survive a round trip; doubles are written with full precision. */
    static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().create();

    private final String name;
    private final SimplexSettings simplex;
    protected final LinkedHashMap<String, Objective> tracked = new LinkedHashMap<>();
    protected final SimplexWeights weights = new SimplexWeights();

    protected AbstractWeightingStrategy(String name, SimplexSettings simplex, List<Objective> initial) {
        this.name = name;
        this.simplex = simplex;
        Map<String, Double> raw = new LinkedHashMap<>();
        for (Objective o : initial) {
            tracked.put(o.name(), o);
            raw.put(o.name(), simplex.initialWeights().getOrDefault(o.name(), 1.0));
        }
        weights.set(raw);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final List<Objective> objectives() {
        return List.copyOf(tracked.values());
    }

    @Override
    public final Map<String, Double> weights() {
        return weights.asMap();
    }

    @Override
    public final void addObjective(Objective objective) {
        addObjective(objective, 0);
    }

    @Override
    public final void addObjective(Objective objective, double share) {
        if (!(share >= 0 && share < 1)) {
            throw new IllegalArgumentException("initial share of '" + objective.name() + "' must be in [0, 1), got "
                    + share);
        }
        if (tracked.containsKey(objective.name())) {
            return;
        }
        tracked.put(objective.name(), objective);
        weights.add(objective.name(), share > 0 ? share : simplex.shareFor(tracked.size()));
        onObjectiveAdded(objective);
    }

    @Override
    public final void removeObjective(String objective) {
        if (tracked.remove(objective) == null) {
            throw new IllegalArgumentException("objective '" + objective + "' is not tracked; tracked: "
                    + tracked.keySet());
        }
        weights.remove(objective);
        onObjectiveRemoved(objective);
    }

    @Override
    public final WeightingResult step(WeightingInput input) {
        input.objectives().forEach(this::addObjective);
        return doStep(input);
    }

    /** Strategy-specific step; every objective of {@code input} is tracked by now. */
    protected abstract WeightingResult doStep(WeightingInput input);

    protected void onObjectiveAdded(Objective objective) {}

    protected void onObjectiveRemoved(String objective) {}

    /** The subclass's own state, or null when it has none beyond the weights. */
    protected abstract JsonElement extraState();

    protected abstract void restoreExtra(JsonElement extra);

    /** Names of the tracked objectives missing from this batch (their scorers faulted). */
    protected final List<String> missing(WeightingInput input) {
        List<String> out = new ArrayList<>(tracked.keySet());
        out.removeAll(input.names());
        return out;
    }

    /** Result with the common fields filled: weights after the step, effective weights, missing count. */
    protected final WeightingResult result(WeightingInput input, double[] rewards, WeightingResult.Kind kind,
            double[] effective, double multiplier, Map<String, Double> diagnostics) {
        Map<String, Double> eff = new LinkedHashMap<>();
        for (int k = 0; k < effective.length; k++) {
            eff.put(input.names().get(k), effective[k]);
        }
        Map<String, Double> diag = new LinkedHashMap<>(diagnostics);
        diag.put("objectives.missing", (double) missing(input).size());
        return new WeightingResult(rewards, kind, weights.asMap(), eff, multiplier, diag);
    }

    @Override
    public final String exportState() {
        JsonObject o = new JsonObject();
        o.addProperty("strategy", name);
        o.add("objectives", GSON.toJsonTree(new ArrayList<>(tracked.values())));
        o.add("weights", GSON.toJsonTree(weights.asMap()));
        JsonElement extra = extraState();
        if (extra != null) {
            o.add("extra", extra);
        }
        return GSON.toJson(o);
    }

    @Override
    public final void restoreState(String json) {
        JsonObject o = JsonParser.parseString(json).getAsJsonObject();
        String found = o.get("strategy").getAsString();
        if (!name.equals(found)) {
            throw new IllegalArgumentException("state of strategy '" + found + "' cannot restore '" + name + "'");
        }
        List<Objective> objectives = GSON.fromJson(o.get("objectives"), new TypeToken<List<Objective>>() {}.getType());
        Map<String, Double> w = GSON.fromJson(o.get("weights"), new TypeToken<LinkedHashMap<String, Double>>() {}.getType());
        tracked.clear();
        objectives.forEach(obj -> tracked.put(obj.name(), obj));
        weights.set(w);
        restoreExtra(o.get("extra"));
    }
}
