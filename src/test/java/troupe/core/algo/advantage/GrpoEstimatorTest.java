package troupe.core.algo.advantage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import troupe.core.TestSettings;

class GrpoEstimatorTest {

    /** verl's GRPO: the std of each group (reference.conf runs with grpo-scale = batch). */
    private static final AdvantageSettings VERL = TestSettings.advantage().withGrpoScale("group");

    private static final double[] GROUP = {1, 0, 0.5};
    private static final int[] IDS = {7, 7, 7};
    private static final double[][] MASK = {{1, 1, 0}, {1, 0, 0}, {1, 1, 1}};

    static double[] perSample(AdvantageEstimator e, double[] r, int[] ids, double[][] mask) {
        double[][] a = e.compute(AdvantageInput.outcome(r, ids, mask)).advantages();
        double[] out = new double[r.length];
        for (int i = 0; i < r.length; i++) {
            out[i] = a[i][0];
        }
        return out;
    }

    @Test
    void verlGrpoUsesUnbiasedStdAndEpsilon1e6() {
        assertArrayEquals(new double[] {0.999998, -0.999998, 0},
                perSample(AdvantageEstimators.create("grpo", VERL), GROUP, IDS, MASK), 1e-6);
    }

    @Test
    void trlGrpoUsesEpsilon1e4() {
        AdvantageSettings trl = VERL.withGrpo(1e-4, "unbiased");
        assertArrayEquals(new double[] {0.9998, -0.9998, 0}, perSample(GrpoEstimator.grpo(trl), GROUP, IDS, MASK), 1e-6);
    }

    @Test
    void populationStdGivesLargerAdvantages() {
        AdvantageSettings pop = VERL.withGrpo(1e-6, "population");
        assertArrayEquals(new double[] {1.224742, -1.224742, 0}, perSample(GrpoEstimator.grpo(pop), GROUP, IDS, MASK), 1e-6);
    }

    @Test
    void drGrpoOnlyCentres() {
        assertArrayEquals(new double[] {0.5, -0.5, 0},
                perSample(AdvantageEstimators.create("dr-grpo", VERL), GROUP, IDS, MASK), 1e-12);
    }

    @Test
    void advantagesAreBroadcastOverRealTokensOnly() {
        double[][] a = AdvantageEstimators.create("grpo", VERL)
                .compute(AdvantageInput.outcome(GROUP, IDS, MASK)).advantages();
        assertArrayEquals(new double[] {a[0][0], a[0][0], 0}, a[0], 0);
        assertArrayEquals(new double[] {a[1][0], 0, 0}, a[1], 0);
    }

    @Test
    void grpoAdvantagesHaveZeroMeanPerGroup() {
        for (int seed = 0; seed < 10; seed++) {
            Random rnd = new Random(seed);
            int groups = 1 + rnd.nextInt(4);
            int g = 2 + rnd.nextInt(6);
            double[] r = new double[groups * g];
            int[] ids = new int[groups * g];
            double[][] mask = new double[groups * g][] ;
            for (int i = 0; i < r.length; i++) {
                r[i] = rnd.nextGaussian();
                ids[i] = (i * 31 + seed) % groups; // interleaved groups
                mask[i] = new double[] {1};
            }
            for (String name : new String[] {"grpo", "dr-grpo", "rloo"}) {
                double[] a = perSample(AdvantageEstimators.create(name, VERL), r, ids, mask);
                for (int k = 0; k < groups; k++) {
                    double sum = 0;
                    for (int i = 0; i < r.length; i++) {
                        sum += ids[i] == k ? a[i] : 0;
                    }
                    assertEquals(0, sum, 1e-9, name + " group " + k + " seed " + seed);
                }
            }
        }
    }

    @Test
    void singletonGroupGetsMeanZeroAndStdOne() {
        double[] a = perSample(AdvantageEstimators.create("grpo", VERL),
                new double[] {0.8}, new int[] {1}, new double[][] {{1}});
        assertEquals(0.8 / (1 + 1e-6), a[0], 1e-12);
    }
}
