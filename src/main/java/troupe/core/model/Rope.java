package troupe.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embedding (Su et al. 2021, arXiv 2104.09864) in Hugging Face's rotate-half
 * convention: inv_freq_i = θ^(−2i/D) for i &lt; D/2, angle = pos·inv_freq duplicated to D,
 * x' = x·cos + rotate_half(x)·sin with rotate_half([x1, x2]) = [−x2, x1].
 *
 * <p>One instance per model keeps float cos/sin rows per position, computed once on the host in
 * double precision (they carry no gradient) and grown on demand; a forward gathers its rows and
 * copies them to native memory in two arrays. rotate_half is a product with a fixed signed
 * permutation matrix R ({@link #rotateHalfMatrix}): one native op instead of slice/neg/concat,
 * and exact (each output is one input times ±1, plus zeros).
 */
public final class Rope {

    /** Rows precomputed up front; more are added (doubling) when a later position needs them. */
    private static final int INITIAL_POSITIONS = 256;

    private final int headDim;
    private final double[] invFreq;
    private float[] cos = new float[0]; // [positions, D]
    private float[] sin = new float[0];
    private int positions;

    public Rope(int headDim, double theta) {
        this.headDim = headDim;
        int half = headDim / 2;
        this.invFreq = new double[half];
        for (int i = 0; i < half; i++) {
            invFreq[i] = 1.0 / Math.pow(theta, (2.0 * i) / headDim);
        }
    }

    /**
     * cos and sin [B, T, 1, D] for integer positions [B·T] (row-major [B, T]), on {@code manager};
     * the axis of size 1 broadcasts over heads of x [B, T, heads, D].
     */
    public NDArray[] tables(NDManager manager, long[] pos, int b, int t) {
        float[] c = new float[b * t * headDim];
        float[] s = new float[b * t * headDim];
        synchronized (this) {
            for (int r = 0; r < b * t; r++) {
                long p = pos[r];
                if (p < 0 || p >= positions) {
                    if (p < 0 || p >= Integer.MAX_VALUE / 2) {
                        fill(p, c, s, r * headDim);
                        continue;
                    }
                    grow((int) p + 1);
                }
                System.arraycopy(cos, (int) p * headDim, c, r * headDim, headDim);
                System.arraycopy(sin, (int) p * headDim, s, r * headDim, headDim);
            }
        }
        Shape out = new Shape(b, t, 1, headDim);
        return new NDArray[] {manager.create(c, out), manager.create(s, out)};
    }

    private void grow(int needed) {
        int n = Math.max(needed, Math.max(INITIAL_POSITIONS, 2 * positions));
        float[] c = java.util.Arrays.copyOf(cos, n * headDim);
        float[] s = java.util.Arrays.copyOf(sin, n * headDim);
        for (int p = positions; p < n; p++) {
            fill(p, c, s, p * headDim);
        }
        cos = c;
        sin = s;
        positions = n;
    }

    private void fill(long pos, float[] c, float[] s, int offset) {
        int half = headDim / 2;
        for (int i = 0; i < half; i++) {
            double angle = pos * invFreq[i];
            float cv = (float) Math.cos(angle);
            float sv = (float) Math.sin(angle);
            c[offset + i] = cv;
            c[offset + half + i] = cv;
            s[offset + i] = sv;
            s[offset + half + i] = sv;
        }
    }

    /**
     * R [D, D] with x·R = rotate_half(x) = [−x2, x1]: R[j + D/2, j] = −1, R[j, j + D/2] = 1 (j &lt; D/2).
     */
    public static NDArray rotateHalfMatrix(NDManager manager, int headDim) {
        int half = headDim / 2;
        float[] r = new float[headDim * headDim];
        for (int j = 0; j < half; j++) {
            r[(j + half) * headDim + j] = -1f;
            r[j * headDim + j + half] = 1f;
        }
        return manager.create(r, new Shape(headDim, headDim));
    }

    /**
     * Rotates x [..., D] with tables broadcastable to it: x·cos + (x·R)·sin.
     *
     * @param rotateHalf R from {@link #rotateHalfMatrix}
     */
    public static NDArray apply(NDArray x, NDArray cos, NDArray sin, NDArray rotateHalf) {
        return x.mul(cos).add(x.matMul(rotateHalf).mul(sin));
    }
}
