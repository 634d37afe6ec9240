package troupe.core.health;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import troupe.core.rollout.RolloutBatch;
import troupe.core.rollout.Sample;

/**
 * Computes a {@link HealthReport} for one step from the scored batch (ALGORITHMS.md §7). Pure;
 * cost O(total tokens). Per-token KL uses {@code untruncatedLogprobs} (learner temperature, no
 * truncation) against {@code referenceLogprobs}.
 */
public final class HealthMonitor {

    private HealthMonitor() {}

    /**
     * @param batch the batch, with reference log-probs when the reference stage ran
     * @param rewards the scalar reward per sample [N] (after weighting)
     * @param referenceMeanLength mean response length of the reference policy, NaN when unknown
     * @param topK per-token top-k values, or null when the model did not compute them
     */
    public static HealthReport compute(RolloutBatch batch, double[] rewards, double referenceMeanLength,
            TopKTokens topK) {
        List<Sample> samples = batch.samples();
        int n = samples.size();
        if (rewards.length != n) {
            throw new IllegalArgumentException(rewards.length + " rewards for " + n + " samples");
        }
        boolean[][] masks = new boolean[n][];
        double[] lengths = new double[n];
        double klSum = 0;
        boolean haveReference = n > 0;
        int truncated = 0;
        for (int i = 0; i < n; i++) {
            Sample s = samples.get(i);
            masks[i] = s.responseMask();
            lengths[i] = s.validTokens();
            truncated += s.truncated() ? 1 : 0;
            boolean hasRef = s.referenceLogprobs().length == s.responseTokens().length;
            haveReference &= hasRef;
            if (hasRef) {
                klSum += KlBudget.sequenceKl(s.untruncatedLogprobs(), s.referenceLogprobs(), s.responseMask());
            }
        }
        double kl = haveReference ? klSum / n : Double.NaN;
        double meanLength = mean(lengths);
        double mass = Double.NaN;
        double hRenorm = Double.NaN;
        double hPartial = Double.NaN;
        if (topK != null) {
            mass = MaskedMean.of(topK.mass(), masks);
            hRenorm = MaskedMean.of(topK.entropyRenormalised(), masks);
            hPartial = MaskedMean.of(topK.entropyPartial(), masks);
        }
        return new HealthReport(mass, hRenorm, hPartial, kl, haveReference ? KlBudget.distance(kl) : Double.NaN,
                meanLength, meanLength - referenceMeanLength, meanLength / referenceMeanLength,
                Pearson.correlation(rewards, lengths), n == 0 ? Double.NaN : (double) truncated / n,
                zeroVarianceGroupFraction(rewards, groupIds(samples)));
    }

    /**
     * Fraction of groups whose rewards are all exactly equal; a group of one sample counts as
     * zero-variance (it gives no within-group signal either). NaN for an empty batch.
     */
    public static double zeroVarianceGroupFraction(double[] rewards, long[] groups) {
        Map<Long, double[]> minMax = new HashMap<>();
        for (int i = 0; i < rewards.length; i++) {
            double r = rewards[i];
            minMax.merge(groups[i], new double[] {r, r},
                    (a, b) -> new double[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
        }
        if (minMax.isEmpty()) {
            return Double.NaN;
        }
        long flat = minMax.values().stream().filter(mm -> mm[0] == mm[1]).count();
        return (double) flat / minMax.size();
    }

    private static long[] groupIds(List<Sample> samples) {
        long[] g = new long[samples.size()];
        for (int i = 0; i < g.length; i++) {
            g[i] = samples.get(i).groupId();
        }
        return g;
    }

    private static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return x.length == 0 ? Double.NaN : s / x.length;
    }
}
