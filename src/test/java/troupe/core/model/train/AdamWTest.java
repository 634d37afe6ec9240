package troupe.core.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The in-place AdamW against a plain double-precision AdamW written from the class doc. */
class AdamWTest {

    /** A bias, a matrix and a second matrix: weight decay reaches only the two matrices. */
    static final Shape[] SHAPES = {new Shape(5), new Shape(3, 4), new Shape(2, 3)};

    @ParameterizedTest(name = "maxGradNorm={0}")
    @CsvSource({"0", "1e-3", "10"})
    void matchesADoublePrecisionReferenceOverSeveralSteps(double maxGradNorm) {
        // eps of the gradients' size and lr 1e-2 so that eps placement, bias correction and decay
        // each move the parameters far more than the 1e-6 tolerance.
        OptimizerSettings s = new OptimizerSettings(1e-2, 0.9, 0.95, 1e-3, 0.1, maxGradNorm, 2, 6, 0.1);
        SplittableRandom rnd = new SplittableRandom(42);
        try (NDManager root = NDManager.newBaseManager()) {
            Map<String, NDArray> params = params(root, rnd);
            Reference ref = new Reference(s, params);
            try (AdamW opt = new AdamW(params, s, root)) {
                boolean clipped = false;
                for (int t = 1; t <= 6; t++) {
                    double[][] grads = new double[SHAPES.length][];
                    for (int i = 0; i < SHAPES.length; i++) {
                        grads[i] = gaussian(rnd, (int) SHAPES[i].size(), 1e-3);
                    }
                    setGradients(root, params, grads);
                    AdamW.StepStats stats = opt.step();
                    double norm = ref.step(grads);
                    clipped |= maxGradNorm > 0 && norm > maxGradNorm;
                    assertEquals(norm, stats.gradNorm(), 1e-6 * norm);
                    assertEquals(t, stats.step());
                    assertFalse(stats.skipped());
                    int i = 0;
                    for (NDArray p : params.values()) {
                        assertClose(ref.p[i], p.toFloatArray(), "p" + i + " step " + t);
                        assertClose(ref.m[i], opt.stateToHost().get("exp_avg.p" + i), "m" + i + " step " + t);
                        assertClose(ref.v[i], opt.stateToHost().get("exp_avg_sq.p" + i), "v" + i + " step " + t);
                        i++;
                    }
                }
                assertEquals(maxGradNorm == 1e-3, clipped, "the case should (not) clip");
            }
        }
    }

    @Test
    void liveArraysDoNotGrowAcrossSteps() {
        OptimizerSettings s = new OptimizerSettings(1e-2, 0.9, 0.95, 1e-8, 0.1, 1e-3, 0, 0, 0.1);
        SplittableRandom rnd = new SplittableRandom(7);
        try (NDManager root = NDManager.newBaseManager()) {
            Map<String, NDArray> params = params(root, rnd);
            try (AdamW opt = new AdamW(params, s, root)) {
                int before = live(root);
                assertEquals(3 * SHAPES.length, before, "parameters and two moments each");
                for (int t = 0; t < 4; t++) {
                    double[][] grads = new double[SHAPES.length][];
                    for (int i = 0; i < SHAPES.length; i++) {
                        grads[i] = gaussian(rnd, (int) SHAPES[i].size(), 1);
                    }
                    setGradients(root, params, grads);
                    assertEquals(before, live(root), "after backward, step " + t);
                    opt.step();
                    assertEquals(before, live(root), "after step " + t);
                }
            }
        }
    }

    @Test
    void aNonFiniteGradientSkipsTheStepAndZeroesTheGradients() {
        OptimizerSettings s = new OptimizerSettings(1e-2, 0.9, 0.95, 1e-8, 0.1, 1, 0, 0, 0.1);
        try (NDManager root = NDManager.newBaseManager()) {
            Map<String, NDArray> params = params(root, new SplittableRandom(3));
            float[] before = params.get("p1").toFloatArray();
            try (AdamW opt = new AdamW(params, s, root)) {
                double[][] grads = {new double[5], new double[12], new double[6]};
                grads[1][4] = Double.NaN;
                setGradients(root, params, grads);
                AdamW.StepStats stats = opt.step();
                assertTrue(stats.skipped() && Double.isNaN(stats.gradNorm()) && stats.step() == 0);
                assertEquals(0, opt.stepCount());
                assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(params.get("p1").toFloatArray()));
                for (NDArray p : params.values()) {
                    try (NDArray g = p.getGradient()) {
                        for (float x : g.toFloatArray()) {
                            assertEquals(0f, x);
                        }
                    }
                }
            }
        }
    }

    private static Map<String, NDArray> params(NDManager root, SplittableRandom rnd) {
        Map<String, NDArray> params = new LinkedHashMap<>();
        for (int i = 0; i < SHAPES.length; i++) {
            double[] init = gaussian(rnd, (int) SHAPES[i].size(), 1);
            float[] f = new float[init.length];
            for (int j = 0; j < f.length; j++) {
                f[j] = (float) init[j];
            }
            NDArray p = root.create(f, SHAPES[i]);
            p.setRequiresGradient(true);
            params.put("p" + i, p);
        }
        return params;
    }

    /** Backward of Σ ⟨p, g⟩, so each gradient is exactly g (rounded to float); the step zeroes it. */
    private static void setGradients(NDManager root, Map<String, NDArray> params, double[][] grads) {
        try (NDManager m = root.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss = null;
            int i = 0;
            for (NDArray p : params.values()) {
                float[] f = new float[grads[i].length];
                for (int j = 0; j < f.length; j++) {
                    f[j] = (float) grads[i][j];
                    grads[i][j] = f[j];
                }
                NDArray term = m.create(f, p.getShape()).mul(p).sum(); // owned by m, not by p's manager
                loss = loss == null ? term : loss.add(term);
                i++;
            }
            gc.backward(loss);
        }
    }

    private static int live(NDManager m) {
        return ((BaseNDManager) m).getManagedArrays().size();
    }

    private static double[] gaussian(SplittableRandom rnd, int n, double scale) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextGaussian() * scale;
        }
        return x;
    }

    /** Relative to the tensor's largest element: a moment near 0 is a cancellation, not an error. */
    private static void assertClose(double[] want, float[] got, String what) {
        double scale = 0;
        for (double w : want) {
            scale = Math.max(scale, Math.abs(w));
        }
        for (int j = 0; j < want.length; j++) {
            assertEquals(want[j], got[j], 1e-6 * scale, what + "[" + j + "]");
        }
    }

    /** AdamW as the class doc states it, in doubles, one loop per element. */
    static final class Reference {
        final OptimizerSettings s;
        final double[][] p;
        final double[][] m;
        final double[][] v;
        long t;

        Reference(OptimizerSettings s, Map<String, NDArray> params) {
            this.s = s;
            int n = params.size();
            p = new double[n][];
            m = new double[n][];
            v = new double[n][];
            int i = 0;
            for (NDArray a : params.values()) {
                float[] f = a.toFloatArray();
                p[i] = new double[f.length];
                for (int j = 0; j < f.length; j++) {
                    p[i][j] = f[j];
                }
                m[i] = new double[f.length];
                v[i] = new double[f.length];
                i++;
            }
        }

        /** One step; returns the global gradient norm before clipping. */
        double step(double[][] grads) {
            double lr = s.learningRateAt(t);
            double sq = 0;
            for (double[] g : grads) {
                for (double x : g) {
                    sq += x * x;
                }
            }
            double norm = Math.sqrt(sq);
            double clip = s.maxGradNorm() > 0 && norm > s.maxGradNorm() ? s.maxGradNorm() / (norm + 1e-6) : 1;
            t++;
            double bc1 = 1 - Math.pow(s.beta1(), t);
            double bc2 = 1 - Math.pow(s.beta2(), t);
            for (int i = 0; i < p.length; i++) {
                boolean decays = SHAPES[i].dimension() >= 2;
                for (int j = 0; j < p[i].length; j++) {
                    double g = grads[i][j] * clip;
                    if (decays) {
                        p[i][j] -= lr * s.weightDecay() * p[i][j];
                    }
                    m[i][j] = s.beta1() * m[i][j] + (1 - s.beta1()) * g;
                    v[i][j] = s.beta2() * v[i][j] + (1 - s.beta2()) * g * g;
                    p[i][j] -= lr * (m[i][j] / bc1) / (Math.sqrt(v[i][j] / bc2) + s.eps());
                }
            }
            return norm;
        }
    }
}
