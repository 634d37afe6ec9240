package troupe.core.reward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;
import troupe.core.config.ConfigReader;
import troupe.core.config.SettingsException;
import troupe.core.reward.RewardCalibration.Ties;
import troupe.core.reward.RewardCalibration.Transform;

class RewardCalibrationTest {

    private static final RewardCalibration.Settings DEFAULTS = RewardCalibration.Settings.fromConfig(
            ConfigReader.at(ConfigFactory.defaultReference(), "troupe.rewards.transforms.calibration"));

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
        assertEquals(Ties.AT_MOST, DEFAULTS.ties(), "default follows §8's '≤'");
    }

    @Test
    void bestOfNTransformIsExpOfTTimesC() {
        assertEquals(11.023176, RewardCalibration.transform(0.6, Transform.BEST_OF_N, 4), 1e-6);
        assertEquals(-Math.exp(-2.4), RewardCalibration.transform(0.6, Transform.WORST_OF_N, 4), 1e-12);
        double[] out = RewardCalibration.apply(new double[] {0.5, 0.0, 1.0}, REFERENCE, DEFAULTS);
        assertArrayEquals(new double[] {11.023176, 1.0, Math.exp(4)}, out, 1e-6);
    }

    @Test
    void calibrationIsTheFirstRegisteredRewardTransformAndGivesTheSameNumbers() {
        assertEquals(List.of("calibration"), RewardTransform.REGISTRY.names());
        RewardTransform calibration = RewardTransform.fromConfig("calibration", ConfigFactory.defaultReference());
        assertArrayEquals(new double[] {11.023176, 1.0, Math.exp(4)},
                calibration.apply(new double[] {0.5, 0.0, 1.0}, REFERENCE), 1e-6);
        RewardTransform midRank = RewardTransform.fromConfig("calibration", ConfigFactory.parseString(
                "troupe.rewards.transforms.calibration { ties = mid-rank, transform = identity, t = 1 }"));
        assertArrayEquals(new double[] {0.4}, midRank.apply(new double[] {0.4}, REFERENCE), 1e-12);
    }

    @Test
    void badCalibrationSettingNamesItsKey() {
        SettingsException e = assertThrows(SettingsException.class, () -> RewardTransform.fromConfig("calibration",
                ConfigFactory.parseString("troupe.rewards.transforms.calibration.t = 0")
                        .withFallback(ConfigFactory.defaultReference())));
        assertTrue(e.getMessage().contains("troupe.rewards.transforms.calibration.t"), e.getMessage());
    }
}
