package troupe.core.reward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import troupe.core.reward.RewardCalibration.Ties;
import troupe.core.reward.RewardCalibration.Transform;

class RewardCalibrationTest {

    private static final double[] REFERENCE = {0.1, 0.4, 0.4, 0.7, 0.9};

    @Test
    void rewardBetweenReferenceValuesCalibratesTo0point6() {
        assertEquals(0.6, RewardCalibration.calibrate(0.5, REFERENCE, Ties.AT_MOST), 1e-12);
        assertEquals(0.6, RewardCalibration.calibrate(0.5, REFERENCE, Ties.MID_RANK), 1e-12);
    }

    @Test
    void tieRuleIsPinnedAtMostGives0point6MidRankGives0point4() {
        assertEquals(0.6, RewardCalibration.calibrate(0.4, REFERENCE, Ties.AT_MOST), 1e-12);
        assertEquals(0.4, RewardCalibration.calibrate(0.4, REFERENCE, Ties.MID_RANK), 1e-12);
        assertEquals(Ties.AT_MOST, RewardCalibration.Settings.defaults().ties(), "default follows §8's '≤'");
    }

    @Test
    void bestOfNTransformIsExpOfTTimesC() {
        assertEquals(11.023176, RewardCalibration.transform(0.6, Transform.BEST_OF_N, 4), 1e-6);
        assertEquals(-Math.exp(-2.4), RewardCalibration.transform(0.6, Transform.WORST_OF_N, 4), 1e-12);
        double[] out = RewardCalibration.apply(new double[] {0.5, 0.0, 1.0}, REFERENCE,
                RewardCalibration.Settings.defaults());
        assertArrayEquals(new double[] {11.023176, 1.0, Math.exp(4)}, out, 1e-6);
    }
}
