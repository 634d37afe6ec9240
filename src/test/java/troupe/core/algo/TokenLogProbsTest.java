package troupe.core.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TokenLogProbsTest {

    @Test
    void logProbAndEntropyMatchSection1Example() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(new double[] {2, 1, 0}, new Shape(1, 1, 3)); // [B=1, L=1, V=3]
            NDArray token = m.create(new long[] {0}, new Shape(1, 1));
            assertEquals(-0.407606, Nd.scalar(TokenLogProbs.logProbs(logits, token, 1.0)), 1e-6);
            assertEquals(0.832396, Nd.scalar(TokenLogProbs.entropy(logits, 1.0)), 1e-6);
            assertEquals(-0.142932, Nd.scalar(TokenLogProbs.logProbs(logits, token, 0.5)), 1e-6);
            assertEquals(0.441057, Nd.scalar(TokenLogProbs.entropy(logits, 0.5)), 1e-6);
        }
    }

    /**
     * The learner's gathered path (float32, no entropy) against log-softmax and its gradient
     * computed on the host in double: logp = z_y − logsumexp(z), and for L = Σ w·logp,
     * ∂L/∂z_v = w·(1[v = y] − softmax(z)_v). Weights 0 stand for padded slots, whose gradient
     * must be exactly 0. Scales up to 1e4 (logits far beyond a trained head's) check the
     * max-shift; the tolerance is 1e-5 relative to |logp| (float32 rounding of z − max).
     */
    @Test
    void gatheredLogProbsAndTheirGradientEqualTheFullLogSoftmaxInDouble() {
        Random r = new Random(17);
        for (double scale : new double[] {1, 30, 1e4}) {
            int b = 3;
            int l = 4;
            int v = 257;
            float[] z = new float[b * l * v];
            for (int i = 0; i < z.length; i++) {
                z[i] = (float) (r.nextGaussian() * scale + (i % 3 == 0 ? scale : 0));
            }
            long[] y = new long[b * l];
            float[] w = new float[b * l];
            for (int i = 0; i < y.length; i++) {
                y[i] = r.nextInt(v);
                w[i] = i % 5 == 4 ? 0f : (float) r.nextGaussian();
            }
            try (NDManager m = NDManager.newBaseManager();
                    GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray logits = m.create(z, new Shape(b, l, v));
                logits.setRequiresGradient(true);
                TokenLogProbs.Gathered g = TokenLogProbs.gathered(logits, m.create(y, new Shape(b, l, 1)));
                float[] got = g.logprobs().toFloatArray();
                gc.backward(g.logprobs().mul(m.create(w, new Shape(b, l))).sum());
                float[] grad = logits.getGradient().toFloatArray();
                for (int pos = 0; pos < b * l; pos++) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int k = 0; k < v; k++) {
                        max = Math.max(max, z[pos * v + k]);
                    }
                    double sum = 0;
                    for (int k = 0; k < v; k++) {
                        sum += Math.exp(z[pos * v + k] - max);
                    }
                    double lse = max + Math.log(sum);
                    double want = z[pos * v + (int) y[pos]] - lse;
                    assertEquals(want, got[pos], 1e-5 * Math.max(1, Math.abs(want)), "scale " + scale + " logp " + pos);
                    for (int k = 0; k < v; k++) {
                        double p = Math.exp(z[pos * v + k] - lse);
                        double dz = w[pos] * ((k == y[pos] ? 1 : 0) - p);
                        assertEquals(dz, grad[pos * v + k], 1e-5, "scale " + scale + " grad " + pos + "," + k);
                    }
                }
            }
        }
    }
}
