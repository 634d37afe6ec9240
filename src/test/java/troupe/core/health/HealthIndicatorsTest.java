package troupe.core.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import troupe.core.rollout.RolloutBatch;
import troupe.core.rollout.Sample;
import troupe.core.rollout.SamplingParams;
import troupe.core.rollout.StageTiming;

class HealthIndicatorsTest {

    @Test
    void topKMassAndBothEntropiesMatchTheWorkedExample() {
        TopKStats s = TopKStats.of(new double[] {0.1, 0.5, 0.1, 0.3}, 2);
        assertEquals(0.8, s.mass(), 1e-12);
        assertEquals(0.661563, s.entropyRenormalised(), 1e-6);
        assertEquals(0.707765, s.entropyPartial(), 1e-6);
        TopKStats full = TopKStats.of(new double[] {0.5, 0.3, 0.1, 0.1}, 4);
        assertEquals(1.168282, full.entropyPartial(), 1e-6);
        assertEquals(full.entropyPartial(), full.entropyRenormalised(), 1e-12);
    }

    @Test
    void perTokenDistributionsAggregateUnderTheMask() {
        double[][][] probs = {{{0.5, 0.3, 0.1, 0.1}, {0.25, 0.25, 0.25, 0.25}}, {{1, 0, 0, 0}}};
        TopKTokens t = TopKTokens.fromProbabilities(probs, 2);
        boolean[][] mask = {{true, false}, {true}};
        assertEquals((0.8 + 1.0) / 2, MaskedMean.of(t.mass(), mask), 1e-6);
        assertEquals(0.661563 / 2, MaskedMean.of(t.entropyRenormalised(), mask), 1e-6);
        assertEquals(0.707765 / 2, MaskedMean.of(t.entropyPartial(), mask), 1e-6);
    }

    @Test
    void maskedMeanCountsOnlyMaskedTokens() {
        float[][] v = {{1, 2, 100}, {4}};
        boolean[][] m = {{true, true, false}, {true}};
        assertEquals(7 / 3.0, MaskedMean.of(v, m), 1e-12);
        assertTrue(Double.isNaN(MaskedMean.of(new float[][] {{1}}, new boolean[][] {{false}})));
    }

    @Test
    void klBudgetIsSquareRootOfSequenceKl() {
        assertEquals(2, KlBudget.distance(4), 1e-12);
        assertEquals(0, KlBudget.distance(-0.3), 1e-12);
        float[] logp = {-1.0f, -2.0f, -0.5f};
        float[] ref = {-1.2f, -1.5f, -9f};
        assertEquals(0.2 - 0.5, KlBudget.sequenceKl(logp, ref, new boolean[] {true, true, false}), 1e-6);
        assertEquals(1.835089, KlBudget.bestOfNUpperBound(16), 1e-6);
    }

    @Test
    void pearsonCorrelation() {
        assertEquals(1, Pearson.correlation(new double[] {1, 2, 3}, new double[] {2, 4, 6}), 1e-12);
        assertEquals(-1, Pearson.correlation(new double[] {1, 2, 3}, new double[] {3, 2, 1}), 1e-12);
        assertTrue(Double.isNaN(Pearson.correlation(new double[] {1, 1}, new double[] {1, 2})));
    }

    static Sample sample(long group, int tokens, boolean truncated, float logp, float ref) {
        float[] lp = new float[tokens];
        float[] rf = new float[tokens];
        java.util.Arrays.fill(lp, logp);
        java.util.Arrays.fill(rf, ref);
        return Sample.sampled("p" + group, group, new int[] {1}, new int[tokens], lp, lp, truncated, "q", "a", "t",
                Map.of()).withReferenceLogprobs(rf);
    }

    @Test
    void monitorReportsEveryIndicatorOfAStep() {
        List<Sample> samples = List.of(sample(0, 2, false, -1, -2), sample(0, 4, true, -1, -2),
                sample(1, 3, false, -1, -1), sample(1, 3, false, -1, -1));
        RolloutBatch batch = RolloutBatch.sampled("run", 1, 1, new SamplingParams(1, 0, 1, 4, 0, false, 1), samples,
                new StageTiming("generate", 1, ""));
        double[] rewards = {0.0, 1.0, 0.5, 0.5};
        float[][] mass = {{0.9f, 0.8f}, {0.7f, 0.7f, 0.7f, 0.7f}, {1, 1, 1}, {1, 1, 1}};
        HealthReport h = HealthMonitor.compute(batch, rewards, 2.0, new TopKTokens(mass, mass, mass));

        assertEquals((2 + 4 + 0 + 0) / 4.0, h.sequenceKl(), 1e-9, "sum over tokens, mean over sequences");
        assertEquals(Math.sqrt(1.5), h.klBudget(), 1e-9);
        assertEquals(3.0, h.meanLength(), 1e-12);
        assertEquals(1.0, h.lengthDrift(), 1e-12);
        assertEquals(1.5, h.lengthRatio(), 1e-12);
        assertEquals(0.25, h.truncationRate(), 1e-12);
        assertEquals(0.5, h.zeroVarianceGroupFraction(), 1e-12);
        assertEquals((0.9 + 0.8 + 4 * 0.7 + 6) / 12, h.topKMass(), 1e-6);
        assertEquals(Pearson.correlation(rewards, new double[] {2, 4, 3, 3}), h.rewardLengthCorrelation(), 1e-12);
        assertEquals(11, h.toMetrics().size());
    }

    @Test
    void missingInputsReadAsNaN() {
        Sample s = Sample.sampled("p", 0, new int[] {1}, new int[] {5}, new float[1], new float[1], false, "q", "a", "t",
                Map.of());
        RolloutBatch batch = RolloutBatch.sampled("run", 1, 1, new SamplingParams(1, 0, 1, 4, 0, false, 1), List.of(s),
                new StageTiming("generate", 1, ""));
        HealthReport h = HealthMonitor.compute(batch, new double[] {1}, Double.NaN, null);
        assertTrue(Double.isNaN(h.sequenceKl()) && Double.isNaN(h.topKMass()) && Double.isNaN(h.lengthDrift()));
        assertEquals(1.0, h.zeroVarianceGroupFraction(), 1e-12, "a lone sample gives no group signal");
    }
}
