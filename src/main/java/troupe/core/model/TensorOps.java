package troupe.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.SparseFormat;

/**
 * The few NDArray building blocks the decoders need, written so autograd is safe on DJL 0.36.
 *
 * <p>Two rules hold in every method: (1) the activation, not the parameter, is the first operand,
 * so every result is owned by the caller's step {@link NDManager} and freed with it; (2) scalar
 * constants are tensors owned by a live manager — the step's ({@link #scalar}) or, to save an op
 * per use, one the model keeps ({@link DerivedWeights#scalar}) — never Java numbers passed to
 * {@code mul/add}: those create temporaries that can be collected before backward reads them
 * (VERSIONS.md, "DJL pitfalls").
 */
public final class TensorOps {

    /** sqrt(2/π), the tanh-GELU constant (Hendrycks &amp; Gimpel 2016; HF "gelu_new"). */
    private static final double GELU_C = Math.sqrt(2.0 / Math.PI);
    /** Cubic coefficient of tanh-GELU. */
    private static final double GELU_A = 0.044715;

    private TensorOps() {
    }

    /** A float32 scalar tensor owned by {@code manager}. */
    public static NDArray scalar(NDManager manager, double value) {
        return manager.create((float) value);
    }

    /** y = x·Wᵀ + b with torch's {@code [out, in]} weight. x [..., in] → [..., out]; bias may be null. */
    public static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        return x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
    }

    /** y = x·W + b with HF Conv1D's {@code [in, out]} weight (GPT-2). */
    public static NDArray conv1d(NDArray x, NDArray weight, NDArray bias) {
        return x.matMul(weight).add(bias);
    }

    /** Rows of {@code table} [V, C] selected by integer ids [B, T] → [B, T, C]. */
    public static NDArray embedding(NDArray ids, NDArray table) {
        return ids.getNDArrayInternal().embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
    }

    /** RMSNorm (Zhang &amp; Sennrich 2019; HF LlamaRMSNorm): w ⊙ x / sqrt(mean(x², -1) + eps). */
    public static NDArray rmsNorm(NDArray x, NDArray weight, double eps) {
        NDArray var = x.square().mean(new int[] {-1}, true); // [..., 1]
        return x.div(var.add(scalar(x.getManager(), eps)).sqrt()).mul(weight);
    }

    /** As {@link #rmsNorm(NDArray, NDArray, double)} with eps as a scalar tensor kept by the model (one op fewer). */
    public static NDArray rmsNorm(NDArray x, NDArray weight, NDArray eps) {
        NDArray var = x.square().mean(new int[] {-1}, true); // [..., 1]
        return x.div(var.add(eps).sqrt()).mul(weight);
    }

    /** As {@link #layerNorm(NDArray, NDArray, NDArray, double)} with eps as a kept scalar tensor. */
    public static NDArray layerNorm(NDArray x, NDArray weight, NDArray bias, NDArray eps) {
        NDArray mu = x.mean(new int[] {-1}, true);
        NDArray centered = x.sub(mu);
        NDArray var = centered.square().mean(new int[] {-1}, true);
        return centered.div(var.add(eps).sqrt()).mul(weight).add(bias);
    }

    /** LayerNorm over the last axis only: w ⊙ (x − μ)/sqrt(σ² + eps) + b, σ² biased. */
    public static NDArray layerNorm(NDArray x, NDArray weight, NDArray bias, double eps) {
        NDArray mu = x.mean(new int[] {-1}, true);
        NDArray centered = x.sub(mu);
        NDArray var = centered.square().mean(new int[] {-1}, true);
        return centered.div(var.add(scalar(x.getManager(), eps)).sqrt()).mul(weight).add(bias);
    }

    /** tanh-GELU: ½x(1 + tanh(√(2/π)(x + 0.044715x³))). */
    public static NDArray geluTanh(NDArray x) {
        NDManager m = x.getManager();
        NDArray inner = x.add(x.pow(scalar(m, 3)).mul(scalar(m, GELU_A))).mul(scalar(m, GELU_C));
        return x.mul(inner.tanh().add(scalar(m, 1))).mul(scalar(m, 0.5));
    }

    /** SiLU / swish: x·σ(x). */
    public static NDArray silu(NDArray x) {
        return x.mul(x.getNDArrayInternal().sigmoid());
    }
}
