package troupe.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embedding (Su et al. 2021, arXiv 2104.09864) in Hugging Face's rotate-half
 * convention: inv_freq_i = θ^(−2i/D) for i &lt; D/2, angle = pos·inv_freq duplicated to D,
 * x' = x·cos + rotate_half(x)·sin with rotate_half([x1, x2]) = [−x2, x1].
 *
 * <p>cos/sin are computed on the host in double precision from integer positions (they carry
 * no gradient), then copied once per forward.
 */
public final class Rope {

    private final NDArray cos; // [B, 1, T, D]
    private final NDArray sin; // [B, 1, T, D]

    private Rope(NDArray cos, NDArray sin) {
        this.cos = cos;
        this.sin = sin;
    }

    /** Tables for positions [B, T] (any integer type). */
    public static Rope of(NDManager manager, NDArray positions, int headDim, double theta) {
        long[] shape = positions.getShape().getShape();
        int b = (int) shape[0];
        int t = (int) shape[1];
        long[] pos = positions.toType(ai.djl.ndarray.types.DataType.INT64, false).toLongArray();
        int half = headDim / 2;
        double[] invFreq = new double[half];
        for (int i = 0; i < half; i++) {
            invFreq[i] = 1.0 / Math.pow(theta, (2.0 * i) / headDim);
        }
        float[] c = new float[b * t * headDim];
        float[] s = new float[b * t * headDim];
        for (int r = 0; r < b * t; r++) {
            for (int i = 0; i < half; i++) {
                double angle = pos[r] * invFreq[i];
                float cv = (float) Math.cos(angle);
                float sv = (float) Math.sin(angle);
                c[r * headDim + i] = cv;
                c[r * headDim + half + i] = cv;
                s[r * headDim + i] = sv;
                s[r * headDim + half + i] = sv;
            }
        }
        Shape out = new Shape(b, 1, t, headDim);
        return new Rope(manager.create(c, out), manager.create(s, out));
    }

    /** Rotates x [B, H, T, D]. */
    public NDArray apply(NDArray x) {
        long d = x.getShape().get(3);
        NDArray x1 = x.get("..., :" + d / 2);
        NDArray x2 = x.get("..., " + d / 2 + ":");
        NDArray rotated = NDArrays.concat(new NDList(x2.neg(), x1), -1);
        return x.mul(cos).add(rotated.mul(sin));
    }
}
