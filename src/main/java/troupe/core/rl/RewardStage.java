package troupe.core.rl;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.reflect.TypeToken;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import troupe.core.algo.advantage.AdvantageEstimator;
import troupe.core.algo.advantage.AdvantageEstimators;
import troupe.core.algo.advantage.AdvantageInput;
import troupe.core.algo.advantage.AdvantageResult;
import troupe.core.algo.advantage.TokenRewards;
import troupe.core.algo.dapo.OverlongPenalty;
import troupe.core.algo.dapo.OverlongSettings;
import troupe.core.algo.kl.KlPenalty;
import troupe.core.algo.kl.KlPlacement;
import troupe.core.algo.kl.KlSettings;
import troupe.core.reward.Objective;
import troupe.core.reward.ObjectiveNormalizer;
import troupe.core.reward.RunningStats;
import troupe.core.rollout.RolloutBatch;
import troupe.core.weighting.WeightingInput;
import troupe.core.weighting.WeightingResult;
import troupe.core.weighting.WeightingStrategy;

/**
 * The learner's reward stage, one type from a batch's per-objective reward vectors to the
 * advantages the loss reads, whatever the learning algorithm. Its steps, in order:
 * (1) objectives that joined mid-run enter the weighting; (2) the optional per-objective running
 * normaliser turns rewards into z-scores; (3) the weighting strategy (from the
 * {@code troupe.core.weighting} registry, {@link troupe.core.weighting.WeightingStrategies})
 * makes one scalar per sample (larger is better) — {@link #weigh}, all online DPO needs;
 * (4) DAPO overlong shaping; (5) token rewards (score on the last real token, minus β·kl per
 * token when KL is in the reward, ALGORITHMS.md §3) → advantages and returns from the
 * configured estimator (GAE also reads the critic's old values) — {@link #advantages}.
 * It also keeps the stage's state: objectives joining and leaving, Control.SetWeighting, and the
 * weighting and normaliser checkpoint state.
 */
final class RewardStage {
    private static final Gson GSON = new Gson();
    private static final Type NORMALIZER_STATE = new TypeToken<Map<String, RunningStats.Snapshot>>() {}.getType();

    private final LearnerSettings settings;
    private final ObjectiveNormalizer normalizer;
    private final Shaping shaping;
    private WeightingStrategy strategy;

    RewardStage(LearnerSettings settings, List<Objective> objectives) {
        this.settings = settings;
        this.strategy = settings.weighting().create(objectives);
        this.normalizer = settings.normalization().map(ObjectiveNormalizer::new).orElse(null);
        this.shaping = new Shaping(AdvantageEstimators.create(settings.advantage()),
                settings.klPlacement() == KlPlacement.REWARD, settings.kl(), settings.overlong());
    }

    /** The configured advantage estimator (gradient-Gram weighting also runs it per objective). */
    AdvantageEstimator estimator() {
        return shaping.estimator;
    }

    /** Steps 3–5 on the scalar of {@link #weigh}; see {@link Shaping#compute}. */
    Result advantages(WeightingResult weighted, LearnerBatch b, StepInput.OldLogProbs old,
            Optional<double[][]> oldValues, double beta, int maxNewTokens) {
        return shaping.compute(weighted, b, old, oldValues, beta, maxNewTokens);
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

    /**
     * @param advantages [N][L], 0 at masked positions
     * @param returns [N][L], the critic's target R = A + V (GAE, before whitening)
     * @param tokenRewards [N][L] as the estimator saw them; null when it used the scalar scores
     * @param klPenaltyMean token-mean of β·kl subtracted from the token rewards; 0 when KL is a loss
     * @param currentKl verl's "current_kl" of the penalty's estimator (token-mean per sequence, then
     *     mean), for the adaptive controller; NaN when KL is a loss
     * @param overlongMean mean overlong penalty per sample, ≤ 0; 0 when shaping is off
     */
    record Result(double[][] advantages, double[][] returns, double[][] tokenRewards, double klPenaltyMean,
            double currentKl, double overlongMean) {}

    /** Steps 4–5 on plain arrays: scalar rewards → overlong shaping → token rewards → estimator. */
    static final class Shaping {
        private final AdvantageEstimator estimator;
        private final boolean klInReward;
        private final KlSettings kl;
        private final Optional<OverlongSettings> overlong;

        Shaping(AdvantageEstimator estimator, boolean klInReward, KlSettings kl, Optional<OverlongSettings> overlong) {
            this.estimator = estimator;
            this.klInReward = klInReward;
            this.kl = kl;
            this.overlong = overlong;
        }

        /**
         * @param old the step's old log-probs (the KL penalty's π, read only when KL is in the reward)
         * @param oldValues [N][L] critic values at the start of the step; empty without a critic
         * @param beta the KL controller's β
         * @param maxNewTokens the batch's generation limit (overlong L_max when not configured)
         */
        Result compute(WeightingResult weighted, LearnerBatch b, StepInput.OldLogProbs old,
                Optional<double[][]> oldValues, double beta, int maxNewTokens) {
            double[] r = weighted.rewards().clone();
            if (weighted.kind() == WeightingResult.Kind.ADVANTAGE) {
                if (overlong.isPresent() || klInReward || oldValues.isPresent()) {
                    throw new IllegalStateException("the weighting strategy yields advantages, but overlong shaping, "
                            + "KL in the reward and gae need scalar rewards: choose another strategy or turn them off");
                }
                double[][] out = new double[b.size()][b.maxLength()];
                for (int i = 0; i < out.length; i++) {
                    for (int t = 0; t < out[i].length; t++) {
                        out[i][t] = r[i] * b.mask()[i][t];
                    }
                }
                return new Result(out, out, null, 0, Double.NaN, 0);
            }
            double overlongMean = 0;
            if (overlong.isPresent()) {
                OverlongSettings s = overlong.get().forLimit(maxNewTokens);
                for (int i = 0; i < r.length; i++) {
                    double p = OverlongPenalty.of(b.responses()[i].length, s);
                    r[i] += p;
                    overlongMean += p / r.length;
                }
            }
            AdvantageInput in = AdvantageInput.outcome(r, b.groupIds(), b.mask());
            double[][] tokenRewards = null;
            double penaltyMean = 0;
            double currentKl = Double.NaN;
            if (klInReward) {
                double[][] perToken = KlPenalty.perToken(old.beforeUpdate(), b.reference(), b.mask(), kl.rewardKl());
                tokenRewards = TokenRewards.withKlPenalty(TokenRewards.fromScores(r, b.mask()), perToken, beta,
                        b.mask());
                currentKl = KlPenalty.currentKl(perToken, b.mask());
                penaltyMean = beta * tokenMean(perToken, b.mask());
                in = in.withTokenRewards(tokenRewards);
            } else if (oldValues.isPresent()) {
                tokenRewards = TokenRewards.fromScores(r, b.mask());
            }
            if (oldValues.isPresent()) {
                in = in.withValues(oldValues.get());
            }
            AdvantageResult adv = estimator.compute(in);
            return new Result(adv.advantages(), adv.returns(), tokenRewards, penaltyMean, currentKl, overlongMean);
        }

        private static double tokenMean(double[][] x, double[][] mask) {
            double sum = 0;
            double n = 0;
            for (int i = 0; i < x.length; i++) {
                for (int t = 0; t < x[i].length; t++) {
                    sum += mask[i][t] * x[i][t];
                    n += mask[i][t];
                }
            }
            return n > 0 ? sum / n : 0;
        }
    }
}
