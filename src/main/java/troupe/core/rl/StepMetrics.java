package troupe.core.rl;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import troupe.core.algo.policy.PolicyMetrics;
import troupe.core.algo.policy.ValueLoss;
import troupe.core.engine.StepResult;
import troupe.core.engine.WeightUpdate;
import troupe.core.health.HealthMonitor;
import troupe.core.health.HealthReport;
import troupe.core.health.TopKTokens;
import troupe.core.model.scoring.TokenScores;
import troupe.core.model.train.AdamW;
import troupe.core.pareto.Dominance;
import troupe.core.pareto.Hypervolume;
import troupe.core.reward.Objective;
import troupe.core.reward.RunningStats;
import troupe.core.rollout.RolloutBatch;
import troupe.core.rollout.Sample;
import troupe.core.weighting.WeightingResult;
import troupe.core.weighting.WeightingStrategy;

/**
 * Turns one step's numbers into a {@link StepResult}, and keeps the little state the metrics need
 * across steps: running per-objective statistics (for normalised means) and the Pareto front of
 * per-step objective means (oriented so larger is better; reference point = the first step's
 * means, as in §6a; the archive restarts when the objective set changes).
 */
final class StepMetrics {
    private static final Gson GSON = new Gson();
    private static final int MAX_FRONT = 256;

    private final Map<String, RunningStats> running = new HashMap<>();
    private List<String> frontAxes = List.of();
    private double[] reference;
    private final List<StepResult.ParetoPoint> front = new ArrayList<>();
    /** The last step's scalarised reward per sample (the learner event's sample responses show some). */
    private double[] lastRewards = new double[0];

    /** Loss terms and policy metrics summed over micro-batches (token-weighted where they are means). */
    static final class LossSums {
        double total;
        double policy;
        double kl;
        double entropy;
        double tokens;
        double clip;
        double dualClip;
        double k1;
        double k2;
        double ratio;
        double klMeanSum;
        double klTokens;
        double value;
        double valueClip;
        double valueTokens;

        void add(double totalLoss, double policyLoss, double klLoss, double entropyLoss, PolicyMetrics m) {
            total += totalLoss;
            policy += policyLoss;
            kl += klLoss;
            entropy += entropyLoss;
            double w = m.tokens();
            tokens += w;
            clip += m.clipFraction() * w;
            dualClip += m.dualClipFraction() * w;
            k1 += m.approxKlK1() * w;
            k2 += m.approxKlK2() * w;
            ratio += m.ratioMean() * w;
        }

        /** The critic's (coefficient-weighted) loss and its clip fraction over {@code w} tokens. */
        void addValue(double valueLoss, double clipFraction, double w) {
            value += valueLoss;
            valueClip += clipFraction * w;
            valueTokens += w;
        }

        void addKlMean(double meanKl, double w) {
            klMeanSum += meanKl * w;
            klTokens += w;
        }

        double klMean() {
            return klTokens > 0 ? klMeanSum / klTokens : 0;
        }

        double mean(double sum) {
            return tokens > 0 ? sum / tokens : 0;
        }
    }

    /** Per-objective batch means of raw scores, by name. */
    static Map<String, Double> batchMeans(RolloutBatch batch) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int k = 0; k < batch.objectives().size(); k++) {
            double s = 0;
            for (Sample x : batch.samples()) {
                s += x.rewards()[k];
            }
            out.put(batch.objectives().get(k).name(), s / Math.max(1, batch.size()));
        }
        return out;
    }

    /** The critic's numbers: clip fraction of the last epoch, explained variance and means of the old values. */
    static StepResult.Critic critic(LossSums sums, double[][] oldValues, double[][] returns, double[][] mask) {
        double v = 0;
        double r = 0;
        double n = 0;
        for (int i = 0; i < mask.length; i++) {
            for (int t = 0; t < mask[i].length; t++) {
                v += mask[i][t] * oldValues[i][t];
                r += mask[i][t] * returns[i][t];
                n += mask[i][t];
            }
        }
        double ev = ValueLoss.explainedVariance(returns, oldValues, mask);
        return new StepResult.Critic(true, sums.valueTokens > 0 ? sums.valueClip / sums.valueTokens : 0,
                Double.isNaN(ev) ? 0 : ev, n > 0 ? v / n : 0, n > 0 ? r / n : 0);
    }

    StepResult result(long step, long version, WeightUpdate weights, RolloutBatch batch, WeightingStrategy weighting,
            WeightingResult weighted, List<TokenScores> old, double[][] oldLogp, LearnerBatch b, LossSums sums,
            AdamW.StepStats stats, double beta, String klEstimator, int topK, StepResult.Critic critic,
            StepResult.Shaping shaping) {
        int n = b.size();
        float[][] mass = new float[n][];
        float[][] renorm = new float[n][];
        float[][] partial = new float[n][];
        double entropySum = 0;
        double entropyTokens = 0; // the entropy and top-k are token means over the health-sampled rows only
        double tokens = 0;
        double k1Sum = 0;
        for (int i = 0; i < n; i++) {
            TokenScores s = old.get(i);
            mass[i] = s.topKMass(); // null outside the sample: MaskedMean skips the row
            renorm[i] = s.topKEntropyRenormalised();
            partial[i] = s.topKEntropyPartial();
            for (int t = 0; t < s.logprobs().length; t++) {
                double m = b.mask()[i][t];
                if (s.sampled()) {
                    entropySum += m * s.entropy()[t];
                    entropyTokens += m;
                }
                k1Sum += m * (oldLogp[i][t] - b.reference()[i][t]);
                tokens += m;
            }
        }
        HealthReport h = HealthMonitor.compute(batch, weighted.rewards(), Double.NaN,
                new TopKTokens(mass, renorm, partial));
        List<StepResult.ObjectiveStat> objectives = objectiveStats(batch, weighting, weighted);
        updateFront(step, batch);
        lastRewards = weighted.rewards().clone();
        double scalarMean = 0;
        for (double r : weighted.rewards()) {
            scalarMean += r / Math.max(1, n);
        }
        int minLen = Integer.MAX_VALUE;
        int maxLen = 0;
        for (int[] r : b.responses()) {
            minLen = Math.min(minLen, r.length);
            maxLen = Math.max(maxLen, r.length);
        }
        return new StepResult(version, weights, objectives, weighting.name(), scalarMean, weighted.multiplier(),
                hypervolume(), front,
                h.zeroVarianceGroupFraction(),
                new StepResult.Kl(tokens > 0 ? k1Sum / tokens : 0, h.sequenceKl(), h.klBudget(), beta, klEstimator),
                new StepResult.Entropy(entropyTokens > 0 ? entropySum / entropyTokens : 0, topK, h.topKMass(),
                        h.topKEntropyRenormalised(), h.topKEntropyPartial()),
                new StepResult.Loss(sums.total, sums.policy, sums.value, sums.kl, sums.entropy,
                        stats == null ? 0 : stats.gradNorm(), stats == null ? 0 : stats.learningRate()),
                new StepResult.Clip(sums.mean(sums.clip), sums.mean(sums.dualClip), sums.mean(sums.k1),
                        sums.mean(sums.k2), sums.mean(sums.ratio), Double.NaN),
                new StepResult.Lengths(h.meanLength(), n == 0 ? 0 : minLen, maxLen, h.truncationRate(),
                        Double.NaN, h.lengthDrift(), h.rewardLengthCorrelation()),
                critic, shaping, java.util.Optional.empty());
    }

    private List<StepResult.ObjectiveStat> objectiveStats(RolloutBatch batch, WeightingStrategy weighting,
            WeightingResult weighted) {
        List<StepResult.ObjectiveStat> out = new ArrayList<>();
        Map<String, Double> effective = weighted.effectiveWeights();
        for (Objective o : weighting.objectives()) {
            int k = batch.objectives().indexOf(o);
            double weight = effective.getOrDefault(o.name(), weighted.weights().getOrDefault(o.name(), 0.0));
            if (k < 0) {
                out.add(new StepResult.ObjectiveStat(o.name(), o.direction(), Double.NaN, Double.NaN, Double.NaN,
                        Double.NaN, Double.NaN, Double.NaN, weight, true, Double.NaN));
                continue;
            }
            RunningStats batchStats = new RunningStats();
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (Sample s : batch.samples()) {
                double x = s.rewards()[k];
                batchStats.add(x);
                min = Math.min(min, x);
                max = Math.max(max, x);
            }
            RunningStats run = running.computeIfAbsent(o.name(), x -> new RunningStats());
            run.merge(batchStats.snapshot());
            double sd = Math.sqrt(Math.max(run.variance(RunningStats.Variance.SAMPLE), 0)) + 1e-8;
            double normMean = o.direction().sign() * (batchStats.mean() - run.mean()) / sd;
            double normStd = Math.sqrt(Math.max(batchStats.variance(RunningStats.Variance.POPULATION), 0)) / sd;
            out.add(new StepResult.ObjectiveStat(o.name(), o.direction(), batchStats.mean(),
                    Math.sqrt(Math.max(batchStats.variance(RunningStats.Variance.POPULATION), 0)), min, max,
                    normMean, normStd, weight, false, Double.NaN));
        }
        return out;
    }

    private void updateFront(long step, RolloutBatch batch) {
        List<String> axes = batch.objectives().stream().map(Objective::name).toList();
        double[] point = new double[axes.size()];
        Map<String, Double> means = batchMeans(batch);
        for (int k = 0; k < point.length; k++) {
            point[k] = batch.objectives().get(k).direction().sign() * means.get(axes.get(k));
        }
        if (!axes.equals(frontAxes) || reference == null) {
            frontAxes = axes;
            reference = point.clone();
            front.clear();
            return;
        }
        List<double[]> all = new ArrayList<>();
        front.forEach(p -> all.add(p.values()));
        all.add(point);
        List<double[]> kept = Dominance.nonDominated(all);
        front.removeIf(p -> kept.stream().noneMatch(q -> q == p.values()));
        if (kept.stream().anyMatch(q -> q == point) && front.size() < MAX_FRONT) {
            front.add(new StepResult.ParetoPoint(point, step));
        }
    }

    private double hypervolume() {
        if (reference == null || front.isEmpty() || reference.length == 0
                || reference.length > Hypervolume.MAX_DIMENSIONS) {
            return 0;
        }
        List<double[]> pts = Dominance.dominatingReference(front.stream().map(StepResult.ParetoPoint::values).toList(),
                reference);
        return pts.isEmpty() ? 0 : Hypervolume.of(pts, reference);
    }

    double[] lastScalarRewards() {
        return lastRewards.clone();
    }

    void forget(String objective) {
        running.remove(objective);
    }

    JsonObject exportState() {
        JsonObject o = new JsonObject();
        JsonObject stats = new JsonObject();
        running.forEach((k, v) -> stats.add(k, GSON.toJsonTree(v.snapshot())));
        o.add("running", stats);
        o.add("axes", GSON.toJsonTree(frontAxes));
        o.add("reference", GSON.toJsonTree(reference));
        JsonArray pts = new JsonArray();
        front.forEach(p -> pts.add(GSON.toJsonTree(p)));
        o.add("front", pts);
        return o;
    }

    void restoreState(JsonObject o) {
        running.clear();
        o.getAsJsonObject("running").entrySet().forEach(e ->
                running.put(e.getKey(), RunningStats.of(GSON.fromJson(e.getValue(), RunningStats.Snapshot.class))));
        frontAxes = List.of(GSON.fromJson(o.get("axes"), String[].class));
        reference = o.get("reference") == null || o.get("reference").isJsonNull()
                ? null : GSON.fromJson(o.get("reference"), double[].class);
        front.clear();
        o.getAsJsonArray("front").forEach(e -> front.add(GSON.fromJson(e, StepResult.ParetoPoint.class)));
    }
}
