package troupe.core.reward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RunningStatsTest {
    /** reference.conf's {@code troupe.learner.normalize}. */
    private static final NormalizationSettings DEFAULTS = NormalizationSettings.fromConfig(
            troupe.core.config.ConfigReader.at(com.typesafe.config.ConfigFactory.defaultReference(), "troupe.learner.normalize"));


    private static final double TOL = 1e-6;

    @Test
    void welfordOnStream124MatchesTheWorkedExample() {
        RunningStats s = RunningStats.of(1, 2, 4);
        assertEquals(2.333333, s.mean(), TOL);
        assertEquals(4.666667, s.m2(), TOL);
        assertEquals(2.333333, s.variance(RunningStats.Variance.SAMPLE), TOL);
        assertEquals(1.091089, s.z(4, RunningStats.Variance.SAMPLE, 0), TOL);
        assertEquals(1.336306, s.z(4, RunningStats.Variance.POPULATION, 0), TOL);
    }

    @Test
    void chanMergeOfPartialsEqualsOneStream() {
        RunningStats merged = RunningStats.merged(RunningStats.of(1, 2), RunningStats.of(4));
        assertEquals(3, merged.count());
        assertEquals(2.333333, merged.mean(), TOL);
        assertEquals(4.666667, merged.m2(), TOL);
        assertEquals(1.091089, merged.z(4, RunningStats.Variance.SAMPLE, 0), TOL);

        Random r = new Random(3);
        double[] xs = r.doubles(101).map(x -> 10 * x - 3).toArray();
        RunningStats whole = RunningStats.of(xs);
        RunningStats parts = new RunningStats();
        for (int start = 0; start < xs.length; start += 17) {
            parts.merge(RunningStats.of(java.util.Arrays.copyOfRange(xs, start, Math.min(xs.length, start + 17))).snapshot());
        }
        assertEquals(whole.mean(), parts.mean(), 1e-12);
        assertEquals(whole.m2(), parts.m2(), 1e-9);
    }

    @Test
    void frozenNormaliserUsesPreBatchStatistics() {
        var frozen = new ObjectiveNormalizer(DEFAULTS);
        frozen.normalize(List.of("acc"), new double[][] {{1}, {2}});
        double[][] z = frozen.normalize(List.of("acc"), new double[][] {{4}});
        // pre-batch stats of {1, 2}: mean 1.5, sample var 0.5
        assertEquals((4 - 1.5) / Math.sqrt(0.5 + 1e-8), z[0][0], 1e-9);
        assertEquals(3, frozen.snapshot().get("acc").count());
    }

    @Test
    void unfrozenNormaliserIncludesTheBatch() {
        var s = new NormalizationSettings(false, RunningStats.Variance.POPULATION, 0, 2);
        var n = new ObjectiveNormalizer(s);
        double[][] z = n.normalize(List.of("acc"), new double[][] {{1}, {2}, {4}});
        assertArrayEquals(new double[] {1.336306}, z[2], TOL);
    }

    @Test
    void firstFrozenBatchFallsBackToBatchStatistics() {
        var n = new ObjectiveNormalizer(DEFAULTS);
        double[][] z = n.normalize(List.of("acc", "len"), new double[][] {{1, 10}, {2, 10}, {4, 10}});
        assertEquals(1.091089, z[2][0], TOL);
        assertEquals(0, z[0][1], TOL, "constant column normalises to 0, not NaN");
    }

    @Test
    void partialStatisticsFromScorerNodesMergeByObjective() {
        var n = new ObjectiveNormalizer(DEFAULTS);
        n.merge("acc", RunningStats.of(1, 2).snapshot());
        n.merge("acc", RunningStats.of(4).snapshot());
        Map<String, RunningStats.Snapshot> snap = n.snapshot();
        assertEquals(2.333333, snap.get("acc").mean(), TOL);
        var restored = new ObjectiveNormalizer(DEFAULTS);
        restored.restore(snap);
        assertEquals(snap, restored.snapshot());
    }
}
