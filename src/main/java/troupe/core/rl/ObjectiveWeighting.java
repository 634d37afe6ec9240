package troupe.core.rl;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.reflect.TypeToken;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import troupe.core.reward.Objective;
import troupe.core.reward.ObjectiveNormalizer;
import troupe.core.reward.RunningStats;
import troupe.core.rollout.RolloutBatch;
import troupe.core.weighting.WeightingInput;
import troupe.core.weighting.WeightingResult;
import troupe.core.weighting.WeightingStrategy;

/**
 * The learner's multi-objective state, whatever the learning algorithm: the weighting strategy
 * (from the {@code troupe.core.weighting} registry, {@link troupe.core.weighting.WeightingStrategies}), the optional per-objective running
 * normaliser, objectives joining and leaving, Control.SetWeighting, and their checkpoint state.
 * {@link #weigh} turns a batch's reward vectors into one scalar per sample (larger is better).
 */
final class ObjectiveWeighting {
    private static final Gson GSON = new Gson();
    private static final Type NORMALIZER_STATE = new TypeToken<Map<String, RunningStats.Snapshot>>() {}.getType();

    private final LearnerSettings settings;
    private final ObjectiveNormalizer normalizer;
    private WeightingStrategy strategy;

    ObjectiveWeighting(LearnerSettings settings, List<Objective> objectives) {
        this.settings = settings;
        this.strategy = settings.weighting().create(objectives);
        this.normalizer = settings.normalization().map(ObjectiveNormalizer::new).orElse(null);
    }

    WeightingStrategy strategy() {
        return strategy;
    }

    List<Objective> objectives() {
        return strategy.objectives();
    }

    /** @param share initial share of the simplex, in [0, 1); 0 = the configured new-objective-share */
    void add(Objective objective, double share) {
        strategy.addObjective(objective, share);
    }

    /** Drops the objective's weight and its normalisation statistics. */
    void remove(String name) {
        strategy.removeObjective(name);
        if (normalizer != null) {
            normalizer.remove(name);
        }
    }

    /** {@link troupe.core.engine.LearnerEngine#setWeighting}: a rejected change leaves the strategy as it was. */
    Map<String, Double> set(String name, Map<String, Double> initialWeights) {
        List<Objective> current = strategy.objectives();
        if (!initialWeights.isEmpty()) {
            Set<String> names = new TreeSet<>();
            current.forEach(o -> names.add(o.name()));
            if (!names.equals(new TreeSet<>(initialWeights.keySet()))) {
                throw new IllegalArgumentException("must name exactly the current objectives " + names + ", got "
                        + new TreeSet<>(initialWeights.keySet()));
            }
        }
        WeightingStrategy next = settings.weighting().create(name, initialWeights, current);
        strategy = next;
        return next.weights();
    }

    /**
     * One weighting step on {@code batch}: objectives that joined mid-run enter, rewards become
     * running z-scores when normalisation is on, batch means stand in for a held-out pass, and
     * {@code gram} (per-objective gradient Gram matrix) is called only when the strategy needs it.
     */
    WeightingResult weigh(RolloutBatch batch, Supplier<double[][]> gram) {
        for (Objective o : batch.objectives()) {
            strategy.addObjective(o); // no-op when present
        }
        WeightingInput in = WeightingInput.of(batch);
        if (normalizer != null) {
            in = new WeightingInput(in.objectives(), normalizer.normalize(in.names(), in.rewards()), in.groupIds(),
                    in.validation(), in.gradientGram());
        }
        if (strategy.needsValidation()) {
            in = in.withValidation(StepMetrics.batchMeans(batch));
        }
        if (strategy.needsGradientGram() && !batch.objectives().isEmpty()) {
            in = in.withGradientGram(gram.get());
        }
        return strategy.step(in);
    }

    /** Adds {@code weighting}, {@code weightingState} and {@code normalizer} to a learner's state object. */
    void save(JsonObject state) {
        state.addProperty("weighting", strategy.name());
        state.addProperty("weightingState", strategy.exportState());
        if (normalizer != null) {
            state.add("normalizer", GSON.toJsonTree(normalizer.snapshot()));
        }
    }

    /** Reads what {@link #save} wrote; the strategy gets its configured settings and the saved state. */
    void restore(JsonObject state) {
        String name = state.get("weighting").getAsString();
        WeightingStrategy restored = settings.weighting().create(name, Map.of(), List.of());
        restored.restoreState(state.get("weightingState").getAsString());
        strategy = restored;
        if (normalizer != null && state.has("normalizer")) {
            normalizer.restore(GSON.fromJson(state.get("normalizer"), NORMALIZER_STATE));
        }
    }
}
