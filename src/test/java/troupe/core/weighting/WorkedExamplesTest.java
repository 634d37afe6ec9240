package troupe.core.weighting;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import troupe.core.reward.Direction;
import troupe.core.reward.Objective;
import troupe.core.reward.RunningStats;
import troupe.core.TestSettings;

/** ALGORITHMS.md §6 worked examples, through the pure functions and through the strategies. */
class WorkedExamplesTest {

    static final Objective ACC = new Objective("acc", Direction.MAXIMIZE);
    static final Objective FMT = new Objective("fmt", Direction.MAXIMIZE);
    static final Objective LEN = new Objective("len", Direction.MINIMIZE);

    static WeightingInput oneSample(List<Objective> objectives, double... rewards) {
        return WeightingInput.of(objectives, new double[][] {rewards}, new long[] {0});
    }

    @Test
    void linearScalarisationGives0point66() {
        assertArrayEquals(new double[] {0.66},
                Scalarization.linear(new double[][] {{0.8, 0.2, 1.0}}, new double[] {0.5, 0.3, 0.2}), 1e-12);
        var s = new FixedLinearStrategy(new SimplexSettings(Map.of("acc", 5.0, "fmt", 3.0, "x", 2.0), 0),
                List.of(ACC, FMT, new Objective("x", Direction.MAXIMIZE)));
        WeightingResult r = s.step(oneSample(s.objectives(), 0.8, 0.2, 1.0));
        assertEquals(0.66, r.rewards()[0], 1e-12);
        assertEquals(WeightingResult.Kind.REWARD, r.kind());
    }

    @Test
    void minimisedObjectivesEnterWithFlippedSign() {
        var s = new FixedLinearStrategy(TestSettings.equalWeights(), List.of(ACC, LEN));
        assertEquals(0.5 * 1 - 0.5 * 10, s.step(oneSample(s.objectives(), 1, 10)).rewards()[0], 1e-12);
    }

    static HypervolumeGuidedStrategy hv(HypervolumeGuidedStrategy.Rescale rescale, Objective second) {
        var settings = new HypervolumeGuidedStrategy.Settings(0.5, 1.5, 1.0, rescale, 1.0, Map.of());
        return new HypervolumeGuidedStrategy(settings, TestSettings.equalWeights(), List.of(ACC, second));
    }

    static double stepWithValidation(HypervolumeGuidedStrategy s, Objective second, double acc, double other) {
        WeightingInput in = oneSample(List.of(ACC, second), 1, 1)
                .withValidation(Map.of("acc", acc, second.name(), other));
        return s.step(in).multiplier();
    }

    @Test
    void hypervolumeMultiplierIs0point503750() {
        var s = hv(HypervolumeGuidedStrategy.Rescale.NONE, FMT);
        assertEquals(1.0, stepWithValidation(s, FMT, 0.50, 0.40), 1e-12, "P0 anchors the reference");
        assertEquals(0.5 + 1.5 * Math.tanh(0.01), stepWithValidation(s, FMT, 0.60, 0.50), 1e-12);
        assertEquals(0.503750, stepWithValidation(s, FMT, 0.65, 0.45), 1e-6);
        WeightingResult r = s.step(oneSample(List.of(ACC, FMT), 0.2, 0.4));
        assertEquals(0.503750 * 0.3, r.rewards()[0], 1e-6, "no validation this step: m kept, reward scaled");
    }

    @Test
    void rawLengthUnitsSaturateTheMultiplierUnlessRescaled() {
        var raw = hv(HypervolumeGuidedStrategy.Rescale.NONE, LEN);
        stepWithValidation(raw, LEN, 0.5, 800);
        stepWithValidation(raw, LEN, 0.6, 700);
        assertEquals(1.979921, stepWithValidation(raw, LEN, 0.65, 750), 1e-6);

        var scaled = hv(HypervolumeGuidedStrategy.Rescale.REFERENCE, LEN);
        stepWithValidation(scaled, LEN, 0.5, 800);
        stepWithValidation(scaled, LEN, 0.6, 700);
        // axes scaled by max(|ρ|, min-scale 1) = (1, 800): ΔHV = 2.5 / 800
        assertEquals(0.5 + 1.5 * Math.tanh(2.5 / 800), stepWithValidation(scaled, LEN, 0.65, 750), 1e-9);
    }

    @Test
    void noImprovementGivesTheFloorMultiplier() {
        var s = hv(HypervolumeGuidedStrategy.Rescale.NONE, FMT);
        stepWithValidation(s, FMT, 0.5, 0.4);
        assertEquals(0.5, stepWithValidation(s, FMT, 0.7, 0.3), 1e-12, "worse than ρ on one objective: filtered");
        assertEquals(0.5, stepWithValidation(s, FMT, 0.5, 0.4), 1e-12);
    }

    @Test
    void mirrorDescentStepGives0point512497() {
        double[][] gram = {{1, 0.5}, {0.5, 0.5}};
        assertArrayEquals(new double[] {0.512497, 0.487503},
                MirrorDescentStrategy.update(new double[] {0.5, 0.5}, new double[] {1.5, 1.0}, 0.1), 1e-6);
        var s = new MirrorDescentStrategy(TestSettings.mirrorDescent(), TestSettings.equalWeights(),
                List.of(ACC, FMT));
        WeightingResult r = s.step(oneSample(List.of(ACC, FMT), 1, 0).withGradientGram(gram));
        assertEquals(0.512497, r.weights().get("acc"), 1e-6);
        assertEquals(0.487503, r.weights().get("fmt"), 1e-6);
        assertEquals(0.512497, r.rewards()[0], 1e-6, "trained with the updated weights");
        WeightingResult none = s.step(oneSample(List.of(ACC, FMT), 1, 0));
        assertEquals(0.512497, none.weights().get("acc"), 1e-6, "no Gram, no update");
    }

    @Test
    void maxMinPicksTheWorstObjective() {
        var s = new MaxMinStrategy(MaxMinStrategy.NAME, TestSettings.maxmin("maxmin"), TestSettings.equalWeights(),
                List.of(ACC, FMT));
        WeightingInput in = WeightingInput.of(List.of(ACC, FMT), new double[][] {{0.6, 0.5}, {0.8, 0.3}},
                new long[] {0, 0}); // U = (0.7, 0.4)
        WeightingResult r = s.step(in);
        assertEquals(Map.of("acc", 0.0, "fmt", 1.0), r.weights());
        assertArrayEquals(new double[] {0.5, 0.3}, r.rewards(), 1e-12);

        var soft = new MaxMinStrategy(MaxMinStrategy.SOFT_NAME, new MaxMinStrategy.Settings(0.1, 0),
                TestSettings.equalWeights(), List.of(ACC, FMT));
        WeightingResult sr = soft.step(in);
        double expected = 1 / (1 + Math.exp(-3)); // softmax(−U/0.1) = softmax(−7, −4)
        assertEquals(expected, sr.weights().get("fmt"), 1e-12);
        assertTrue(sr.weights().get("acc") > 0);
    }

    @Test
    void gdpoNormalisesEachObjectiveSoRawScaleDoesNotMatter() {
        var s = new GdpoStrategy(new GdpoStrategy.Settings(0, RunningStats.Variance.SAMPLE, false),
                TestSettings.equalWeights(), List.of(ACC, FMT));
        double[][] rewards = {{1, 20}, {0, 0}, {0.5, 10}, {3, 1}, {1, 1}};
        WeightingResult r = s.step(WeightingInput.of(List.of(ACC, FMT), rewards, new long[] {0, 0, 0, 1, 1}));
        // group 0: both columns standardise to (1, −1, 0); group 1: acc (1/√2, −1/√2)/1.414.., fmt constant → 0
        double g1 = (3 - 2) / Math.sqrt(2);
        assertArrayEquals(new double[] {1, -1, 0, 0.5 * g1, -0.5 * g1}, r.rewards(), 1e-12);
        assertEquals(WeightingResult.Kind.ADVANTAGE, r.kind());

        var batchNormalised = new GdpoStrategy(TestSettings.gdpo(), TestSettings.equalWeights(),
                List.of(ACC, FMT));
        double[] a = batchNormalised.step(WeightingInput.of(List.of(ACC, FMT), rewards, new long[] {0, 0, 0, 1, 1}))
                .rewards();
        assertEquals(0, java.util.Arrays.stream(a).sum(), 1e-9, "batch-normalised advantages have mean 0");
    }
}
