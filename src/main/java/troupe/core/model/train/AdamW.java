package troupe.core.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
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
            List<NDArray> squares = new ArrayList<>();
            for (Map.Entry<String, NDArray> e : params.entrySet()) {
                if (!e.getValue().hasGradient()) {
                    continue;
                }
                NDArray g = e.getValue().getGradient();
                g.attach(tmp);
                grads.put(e.getKey(), g);
                squares.add(g.square().sum());
            }
            // One host copy for all per-parameter sums (was one per parameter); same float sums,
            // accumulated in double in the same order, so the norm is unchanged bit for bit.
            double sq = 0;
            if (!squares.isEmpty()) {
                for (float f : NDArrays.stack(new NDList(squares)).toFloatArray()) {
                    sq += f;
                }
            }
            double norm = Math.sqrt(sq);
            if (!Double.isFinite(norm)) {
                zero(grads);
                return new StepStats(step, lr, norm, true);
            }
            double clip = settings.maxGradNorm() > 0 && norm > settings.maxGradNorm()
                    ? settings.maxGradNorm() / (norm + 1e-6) : 1.0;
            step++;
            double bc1 = 1 - Math.pow(settings.beta1(), step);
            double bc2 = 1 - Math.pow(settings.beta2(), step);
            for (Map.Entry<String, NDArray> e : grads.entrySet()) {
                NDArray p = params.get(e.getKey());
                // In place on the gradient (zeroed below anyway); g·1 = g exactly, so no-clip skips it.
                NDArray g = clip == 1.0 ? e.getValue() : e.getValue().muli(clip);
                NDArray mi = m.get(e.getKey());
                NDArray vi = v.get(e.getKey());
                if (p.getShape().dimension() >= 2 && settings.weightDecay() > 0) {
                    p.subi(p.mul(lr * settings.weightDecay()));
                }
                mi.muli(settings.beta1()).addi(g.mul(1 - settings.beta1()));
                vi.muli(settings.beta2()).addi(g.square().muli(1 - settings.beta2()));
                NDArray denom = vi.div(bc2).sqrt().addi(settings.eps());
                p.subi(mi.div(bc1).divi(denom).muli(lr));
            }
            zero(grads);
            return new StepStats(step, lr, norm, false);
        }
    }

    private static void zero(Map<String, NDArray> grads) {
        NDIndex all = new NDIndex("...");
        grads.values().forEach(g -> g.set(all, 0f));
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
