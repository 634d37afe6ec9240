package troupe.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
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

    /** 2·sqrt(2/π): tanh-GELU's constant (Hendrycks &amp; Gimpel 2016; HF "gelu_new") in the sigmoid form. */
    public static final double GELU_SIGMOID_LINEAR = 2 * Math.sqrt(2.0 / Math.PI);
    /** 0.044715·2·sqrt(2/π): tanh-GELU's cubic coefficient in the sigmoid form. */
    public static final double GELU_SIGMOID_CUBIC = 0.044715 * GELU_SIGMOID_LINEAR;

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

    /**
     * LayerNorm over the last axis: w ⊙ (x − μ)/sqrt(σ² + eps) + b, σ² biased; torch's
     * {@code layer_norm}, one native op with its own backward (composed of nine ops before, each
     * a [..., C] temporary kept for backward).
     */
    public static NDArray layerNorm(NDArray x, NDArray weight, NDArray bias, double eps) {
        Shape last = new Shape(x.getShape().get(x.getShape().dimension() - 1));
        return x.getNDArrayInternal().layerNorm(x, last, weight, bias, (float) eps).singletonOrThrow();
    }

    /**
     * tanh-GELU, HF "gelu_new": ½x(1 + tanh(√(2/π)(x + 0.044715x³))), computed as
     * x·σ(x·(a + b·x²)) with a = 2√(2/π), b = 0.044715·a, because ½(1 + tanh u) = σ(2u): six ops
     * instead of eight, two of them in place. DJL 0.36 has no tanh form of torch's gelu (its
     * {@code gelu} is the erf form, which would change GPT-2's numerics).
     *
     * @param a {@link #GELU_SIGMOID_LINEAR} and {@code b} {@link #GELU_SIGMOID_CUBIC} as scalar
     *     tensors kept alive by the model (rule 2 above)
     */
    public static NDArray geluTanh(NDArray x, NDArray a, NDArray b) {
        // In place is autograd-safe here: square's backward reads x, not its result; mul_ by b
        // saves only b (kept by the model) and add_ saves nothing.
        NDArray inner = x.square().muli(b).addi(a); // [..., F] a + b·x²
        return x.mul(inner.mul(x).getNDArrayInternal().sigmoid());
    }

    /** SiLU / swish: x·σ(x). */
    public static NDArray silu(NDArray x) {
        return x.mul(x.getNDArrayInternal().sigmoid());
    }
}
