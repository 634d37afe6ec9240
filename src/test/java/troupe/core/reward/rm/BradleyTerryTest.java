package troupe.core.reward.rm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.engine.Engine;
import org.junit.jupiter.api.Test;

class BradleyTerryTest {

    @Test
    void lossIsMeanNegativeLogSigmoidOfTheMargin() {
        try (NDManager m = NDManager.newBaseManager()) {
            // margins 0, 2, −1 → log 2, log(1 + e^−2), log(1 + e)
            NDArray chosen = m.create(new float[] {1f, 3f, 0f});
            NDArray rejected = m.create(new float[] {1f, 1f, 1f});
            double expected = (0.693147 + 0.126928 + 1.313262) / 3;
            assertEquals(expected, BradleyTerry.loss(chosen, rejected).getFloat(), 1e-5);
        }
    }

    @Test
    void gradientIsMinusOneMinusSigmoidOfTheMarginOverN() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray chosen = m.create(new float[] {0f, 2f});
            NDArray rejected = m.create(new float[] {0f, 0f});
            chosen.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(BradleyTerry.loss(chosen, rejected));
            }
            // d/dr_w of softplus(r_l − r_w)/N = −σ(r_l − r_w)/N: σ(0) = 0.5, σ(−2) = 0.119203
            assertArrayEquals(new float[] {-0.25f, -0.0596015f}, chosen.getGradient().toFloatArray(), 1e-6f);
        }
    }

    @Test
    void accuracyCountsStrictWinsOnly() {
        assertEquals(0.5, BradleyTerry.accuracy(new float[] {2, 1, 0, 5}, new float[] {1, 1, 3, 4}), 1e-12);
        assertEquals(0.0, BradleyTerry.accuracy(new float[0], new float[0]));
    }
}
