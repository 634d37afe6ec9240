package troupe.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/** GPT-2's single-op LayerNorm and sigmoid-form tanh-GELU against their formulas in doubles, values and gradients. */
class TensorOpsTest {

    static final float[] X = {-9f, -4.5f, -2f, -0.7f, -0.01f, 0f, 0.3f, 1f, 2.5f, 6f, 12f, 0.05f};

    @Test
    void geluTanhIsHfGeluNewWithItsDerivative() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(X, new Shape(3, 4));
            x.setRequiresGradient(true);
            NDArray a = m.create((float) TensorOps.GELU_SIGMOID_LINEAR);
            NDArray b = m.create((float) TensorOps.GELU_SIGMOID_CUBIC);
            float[] y;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray out = TensorOps.geluTanh(x, a, b);
                y = out.toFloatArray();
                gc.backward(out.sum());
            }
            float[] dy = x.getGradient().toFloatArray();
            double c = Math.sqrt(2 / Math.PI);
            for (int i = 0; i < X.length; i++) {
                double z = X[i];
                double th = Math.tanh(c * (z + 0.044715 * z * z * z));
                double want = 0.5 * z * (1 + th); // HF gelu_new
                double dWant = 0.5 * (1 + th) + 0.5 * z * (1 - th * th) * c * (1 + 3 * 0.044715 * z * z);
                assertEquals(want, y[i], 2e-7 * Math.max(1, Math.abs(want)), "gelu(" + z + ")");
                assertEquals(dWant, dy[i], 1e-6 * Math.max(1, Math.abs(dWant)), "gelu'(" + z + ")");
            }
        }
    }

    @Test
    void layerNormNormalisesTheLastAxisOnlyWithGainBiasAndGradients() {
        float[] w = {0.5f, -1.5f, 2f, 1f};
        float[] bias = {0.1f, 0f, -0.3f, 2f};
        double eps = 1e-5;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(X, new Shape(1, 3, 4)); // [B, T, C]: rows must not mix
            NDArray gain = m.create(w);
            gain.setRequiresGradient(true);
            float[] y;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray out = TensorOps.layerNorm(x, gain, m.create(bias), eps);
                y = out.toFloatArray();
                gc.backward(out.sum());
            }
            double[] dGain = new double[4];
            for (int r = 0; r < 3; r++) {
                double mu = 0;
                for (int j = 0; j < 4; j++) {
                    mu += X[4 * r + j] / 4.0;
                }
                double var = 0;
                for (int j = 0; j < 4; j++) {
                    var += (X[4 * r + j] - mu) * (X[4 * r + j] - mu) / 4.0;
                }
                for (int j = 0; j < 4; j++) {
                    double n = (X[4 * r + j] - mu) / Math.sqrt(var + eps);
                    dGain[j] += n;
                    assertEquals(w[j] * n + bias[j], y[4 * r + j], 2e-6, "row " + r + " col " + j);
                }
            }
            float[] got = gain.getGradient().toFloatArray();
            for (int j = 0; j < 4; j++) {
                assertEquals(dGain[j], got[j], 2e-6, "d gain " + j);
            }
        }
    }
}
