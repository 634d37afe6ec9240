package troupe.core.algo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Random;

/** Test helpers: plain matrices ↔ NDArrays, random batches with ragged masks. */
public final class Nd {

    private Nd() {}

    /** A [B, L] float64 tensor. */
    public static NDArray of(NDManager m, double[][] x) {
        int b = x.length;
        int l = b == 0 ? 0 : x[0].length;
        double[] flat = new double[b * l];
        for (int i = 0; i < b; i++) {
            System.arraycopy(x[i], 0, flat, i * l, l);
        }
        return m.create(flat, new Shape(b, l));
    }

    /** A [B, L] float32 tensor. */
    public static NDArray f32(NDManager m, double[][] x) {
        return of(m, x).toType(DataType.FLOAT32, false);
    }

    /** A [N] float64 tensor. */
    public static NDArray vec(NDManager m, double... x) {
        return m.create(x);
    }

    public static double[][] matrix(NDArray x) {
        long[] s = x.getShape().getShape();
        double[] flat = x.toType(DataType.FLOAT64, true).toDoubleArray();
        double[][] out = new double[(int) s[0]][(int) s[1]];
        for (int i = 0; i < s[0]; i++) {
            System.arraycopy(flat, (int) (i * s[1]), out[i], 0, (int) s[1]);
        }
        return out;
    }

    public static double scalar(NDArray x) {
        return Scalars.value(x);
    }

    /** Ragged right-padded mask: row i has a random length in [minLen, L]. */
    public static double[][] randomMask(Random rnd, int b, int l, int minLen) {
        double[][] mask = new double[b][l];
        for (int i = 0; i < b; i++) {
            int n = minLen + rnd.nextInt(l - minLen + 1);
            for (int t = 0; t < n; t++) {
                mask[i][t] = 1;
            }
        }
        return mask;
    }

    /** Gaussian values with the given scale and shift. */
    public static double[][] randn(Random rnd, int b, int l, double scale, double shift) {
        double[][] x = new double[b][l];
        for (int i = 0; i < b; i++) {
            for (int t = 0; t < l; t++) {
                x[i][t] = shift + scale * rnd.nextGaussian();
            }
        }
        return x;
    }

    /** A copy of {@code x} with {@code garbage} written at every masked position. */
    public static double[][] poisonPadding(double[][] x, double[][] mask, double garbage) {
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i].clone();
            for (int t = 0; t < x[i].length; t++) {
                if (mask[i][t] == 0) {
                    out[i][t] = garbage;
                }
            }
        }
        return out;
    }
}
