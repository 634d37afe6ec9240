package troupe.core.algo.advantage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import troupe.core.TestSettings;

class GrpoBatchScaleTest {

    @Test
    void batchScaleDividesEveryGroupByTheBatchStd() {
        double[] r = {1, 0, 0.5, 0.52, 0.48, 0.5};
        int[] groups = {0, 0, 0, 1, 1, 1};
        double[][] mask = {{1}, {1}, {1}, {1}, {1}, {1}};
        AdvantageInput in = AdvantageInput.outcome(r, groups, mask);
        double[][] byGroup = GrpoEstimator.grpo(TestSettings.advantage().withGrpoScale("group")).compute(in).advantages();
        double[][] byBatch = GrpoEstimator.grpo(TestSettings.advantage().withGrpoScale("batch")).compute(in)
                .advantages();
        // the near-constant second group gets ±1 under group scaling ...
        assertEquals(1.0, byGroup[3][0], 1e-4);
        // ... but only its share of the batch spread under batch scaling
        double mean = 0.5;
        double var = 0;
        for (double x : r) {
            var += (x - mean) * (x - mean);
        }
        double std = Math.sqrt(var / (r.length - 1));
        assertEquals(0.02 / (std + 1e-6), byBatch[3][0], 1e-9);
        assertEquals(0.5 / (std + 1e-6), byBatch[0][0], 1e-9);
        assertEquals(0.0, byBatch[3][0] + byBatch[4][0] + byBatch[5][0], 1e-12, "still zero mean per group");
    }
}
