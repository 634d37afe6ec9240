package troupe.core.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AdamW with decoupled weight decay and global-norm clipping, updating NDArrays in place.
 *
 * <p>Per parameter p with gradient g (after clipping g ← g·min(1, c/‖g‖₂), the norm taken over
 * all parameters), at step t = 1, 2, …:
 * p ← p − lr·λ·p (rank ≥ 2 only); m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²;
 * p ← p − lr·(m/(1−β₁ᵗ)) / (sqrt(v/(1−β₂ᵗ)) + eps).
 * Gradients accumulate across backward calls (gradient accumulation) and are zeroed by
 * {@link #step}. Runs outside autograd, so plain Java scalars are safe here.
 *
 * <p>Cost: parameters, both moments and the gradient are written in place, in the order of
 * PyTorch's {@code _single_tensor_adamw}; the only full-size temporaries are sqrt(v) + eps and
 * m / (sqrt(v) + eps), one parameter at a time, closed at once (the previous version built ~7
 * per parameter, three of them on the moments' manager, where they outlived the step).
 * DJL 0.36's fused {@code NDArrayEx.adamUpdate} is not used: its native code clones the gradient
 * and builds five more full-size temporaries per parameter, and puts eps beside sqrt(v) before
 * the bias correction (lr·√(1−β₂ᵗ)/(1−β₁ᵗ)·m / (√v + eps)), which is a different update.
 */
public final class AdamW implements AutoCloseable {

    private final OptimizerSettings settings;
    private final Map<String, NDArray> params;
    private final NDManager manager;
    private final Map<String, NDArray> m = new LinkedHashMap<>();
    private final Map<String, NDArray> v = new LinkedHashMap<>();
    private long step;

    /** Result of one optimizer step. */
    public record StepStats(long step, double learningRate, double gradNorm, boolean skipped) {
    }

    public AdamW(Map<String, NDArray> params, OptimizerSettings settings, NDManager parent) {
        this.settings = settings;
        this.params = params;
        this.manager = parent.newSubManager();
        params.forEach((name, p) -> {
            m.put(name, manager.zeros(p.getShape()));
            v.put(name, manager.zeros(p.getShape()));
        });
    }

    public long stepCount() {
        return step;
    }

    /** Clips, updates every parameter that has a gradient, zeroes gradients; a non-finite norm skips. */
    public StepStats step() {
        double lr = settings.learningRateAt(step);
        try (NDManager tmp = manager.newSubManager()) {
            Map<String, NDArray> grads = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> e : params.entrySet()) {
                if (e.getValue().hasGradient()) {
                    NDArray g = e.getValue().getGradient(); // a new handle on the live gradient
                    g.attach(tmp);
                    grads.put(e.getKey(), g);
                }
            }
            double norm = Math.sqrt(sumOfSquares(grads.values()));
            NDArray zero = tmp.create(0f);
            NDIndex all = new NDIndex("...");
            if (!Double.isFinite(norm)) {
                grads.values().forEach(g -> g.set(all, zero));
                return new StepStats(step, lr, norm, true);
            }
            double clip = settings.maxGradNorm() > 0 && norm > settings.maxGradNorm()
                    ? settings.maxGradNorm() / (norm + 1e-6) : 1.0;
            step++;
            double b1 = settings.beta1();
            double b2 = settings.beta2();
            double bc1 = 1 - Math.pow(b1, step);
            double bc2 = 1 - Math.pow(b2, step);
            // Step constants as float32 tensors made once per step, not one per op and parameter.
            // The gradient buffer carries the clip factor and (1−β₁): g' = c(1−β₁)g, so
            // (1−β₂)(cg)² = g'²·(1−β₂)/(1−β₁)². lr/bc1 · m/(sqrt(v/bc2) + eps) is rewritten as
            // (lr·√bc2/bc1) · m/(√v + eps·√bc2): the same value, one op fewer.
            Constants k = new Constants(tmp.create((float) (1 - lr * settings.weightDecay())),
                    tmp.create((float) (clip * (1 - b1))), tmp.create((float) b1), tmp.create((float) b2),
                    tmp.create((float) ((1 - b2) / ((1 - b1) * (1 - b1)))),
                    tmp.create((float) (settings.eps() * Math.sqrt(bc2))),
                    tmp.create((float) (lr * Math.sqrt(bc2) / bc1)));
            for (Map.Entry<String, NDArray> e : grads.entrySet()) {
                NDArray p = params.get(e.getKey());
                boolean decays = p.getShape().dimension() >= 2 && settings.weightDecay() > 0;
                update(p, e.getValue(), m.get(e.getKey()), v.get(e.getKey()), decays, k);
                e.getValue().set(all, zero);
            }
            return new StepStats(step, lr, norm, false);
        }
    }

    private record Constants(NDArray decay, NDArray gradScale, NDArray beta1, NDArray beta2, NDArray squareScale,
                             NDArray eps, NDArray stepSize) {
    }

    /** One parameter, in place; g is overwritten (it is zeroed next). */
    private static void update(NDArray p, NDArray g, NDArray mi, NDArray vi, boolean decays, Constants k) {
        if (decays) {
            p.muli(k.decay()); // p ← (1 − lr·λ)·p
        }
        g.muli(k.gradScale()); // g ← c(1−β₁)·g
        mi.muli(k.beta1()).addi(g); // m ← β₁m + (1−β₁)·cg
        g.muli(g).muli(k.squareScale()); // g ← (1−β₂)·(cg)²
        vi.muli(k.beta2()).addi(g); // v ← β₂v + (1−β₂)·(cg)²
        try (NDArray denom = vi.sqrt().addi(k.eps()); NDArray u = mi.div(denom)) {
            p.subi(u.muli(k.stepSize()));
        }
    }

    /**
     * Σ‖g‖² over all gradients with one host copy: a per-tensor dot product (one read pass, no
     * full-size g² as before), stacked, accumulated in double in parameter order.
     */
    private static double sumOfSquares(Iterable<NDArray> grads) {
        List<NDArray> sums = new ArrayList<>();
        for (NDArray g : grads) {
            try (NDArray flat = g.flatten()) {
                sums.add(flat.dot(flat));
            }
        }
        double sq = 0;
        if (!sums.isEmpty()) {
            try (NDArray stacked = NDArrays.stack(new NDList(sums))) {
                for (float f : stacked.toFloatArray()) {
                    sq += f;
                }
            }
            sums.forEach(NDArray::close);
        }
        return sq;
    }

    /** Moments and step count, for checkpoints: "exp_avg.NAME", "exp_avg_sq.NAME". */
    public Map<String, float[]> stateToHost() {
        Map<String, float[]> out = new LinkedHashMap<>();
        m.forEach((k, a) -> out.put("exp_avg." + k, a.toFloatArray()));
        v.forEach((k, a) -> out.put("exp_avg_sq." + k, a.toFloatArray()));
        return out;
    }

    /** Restores what {@link #stateToHost} produced, and the step count. */
    public void restore(Map<String, float[]> state, long stepCount) {
        m.forEach((k, a) -> a.set(require(state, "exp_avg." + k)));
        v.forEach((k, a) -> a.set(require(state, "exp_avg_sq." + k)));
        this.step = stepCount;
    }

    private static float[] require(Map<String, float[]> state, String key) {
        float[] x = state.get(key);
        if (x == null) {
            throw new IllegalArgumentException("optimizer state lacks '" + key + "'");
        }
        return x;
    }

    public OptimizerSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        manager.close();
    }
}
