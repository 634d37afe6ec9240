package troupe.core.algo.advantage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import troupe.core.TestSettings;

class RlooEstimatorTest {

    @Test
    void section4TableValues() {
        double[] a = GrpoEstimatorTest.perSample(AdvantageEstimators.create("rloo", TestSettings.advantage()),
                new double[] {1, 0, 0.5}, new int[] {0, 0, 0}, new double[][] {{1}, {1}, {1}});
        assertArrayEquals(new double[] {0.75, -0.75, 0}, a, 1e-12);
    }

    @Test
    void rlooEqualsScaledCentredReward() {
        Random rnd = new Random(3);
        for (int g = 2; g <= 8; g++) {
            double[] r = new double[g];
            double[][] mask = new double[g][];
            double mean = 0;
            for (int i = 0; i < g; i++) {
                r[i] = rnd.nextGaussian();
                mean += r[i] / g;
                mask[i] = new double[] {1, 1};
            }
            double[] a = GrpoEstimatorTest.perSample(new RlooEstimator(), r, new int[g], mask);
            for (int i = 0; i < g; i++) {
                assertEquals((double) g / (g - 1) * (r[i] - mean), a[i], 1e-12);
            }
        }
    }
}
