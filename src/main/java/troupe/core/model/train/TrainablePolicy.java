package troupe.core.model.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import troupe.core.model.CausalLm;
import troupe.core.model.ValueHead;
import troupe.core.model.snapshot.SnapshotEncoding;
import troupe.core.model.snapshot.WeightSnapshot;

/**
 * The learner's model: a {@link CausalLm} with gradients on, an optional {@link ValueHead}, and
 * {@link AdamW}. One training step is any number of micro-batches, each
 * <pre>{@code
 * try (NDManager m = policy.newStepManager(); GradientCollector gc = policy.newGradientCollector()) {
 *     PolicyLogProbs out = PolicyLogProbs.compute(policy.model(), batch, temperature, m);
 *     NDArray loss = ...;              // scaled so the micro-batch losses sum to the step's loss
 *     gc.backward(loss);
 * }
 * }</pre>
 * followed by one {@link #step()} (clip, schedule, AdamW, zero gradients, version + 1).
 * Gradients add up across micro-batches (gradient accumulation): scale each micro-batch loss by
 * its share of the whole step (e.g. its tokens over all tokens, ALGORITHMS.md §0 pitfall).
 *
 * <p>PyTorch allows one active {@link GradientCollector} per process; keep one learner per JVM.
 */
public final class TrainablePolicy implements AutoCloseable {

    private final CausalLm model;
    private final ValueHead valueHead;
    private final AdamW optimizer;
    private final NDManager manager;
    private long version;

    /** Takes ownership of {@code model}; {@code valueHead} may be null. */
    public TrainablePolicy(CausalLm model, ValueHead valueHead, OptimizerSettings settings, NDManager parent) {
        this.model = model;
        this.valueHead = valueHead;
        this.manager = parent.newSubManager();
        model.parameters().setRequiresGradient(true);
        this.optimizer = new AdamW(trainable(), settings, manager);
    }

    /** Model (HF names) + value head arrays, in order. */
    public Map<String, NDArray> trainable() {
        Map<String, NDArray> all = new LinkedHashMap<>(model.parameters().arrays());
        if (valueHead != null) {
            all.putAll(valueHead.arrays());
        }
        return all;
    }

    /**
     * This policy with a fresh {@link ValueHead} (PPO-GAE's critic, seeded by {@code seed}), or this
     * policy when it has one. Only before the first step: the optimizer is rebuilt over the model
     * and the head, so this object's optimizer is closed and it must not be used afterwards (the
     * model passes to the returned policy).
     */
    public TrainablePolicy withValueHead(OptimizerSettings settings, NDManager parent, long seed) {
        if (valueHead != null) {
            return this;
        }
        if (optimizer.stepCount() > 0) {
            throw new IllegalStateException("a value head can only be added before the first optimizer step");
        }
        optimizer.close();
        manager.close();
        TrainablePolicy out = new TrainablePolicy(model, new ValueHead(model.config().hiddenSize(), parent, seed),
                settings, parent);
        out.version = version;
        return out;
    }

    public CausalLm model() {
        return model;
    }

    /** The value head, or null. */
    public ValueHead valueHead() {
        return valueHead;
    }

    public AdamW optimizer() {
        return optimizer;
    }

    /** Policy version: the number of optimizer steps applied since version 0 (or as restored). */
    public long version() {
        return version;
    }

    void restoreVersion(long v) {
        this.version = v;
    }

    /** A scope for one micro-batch's arrays; close it after backward. */
    public NDManager newStepManager() {
        return manager.newSubManager();
    }

    /** Turns on autograd recording until closed. */
    public GradientCollector newGradientCollector() {
        return Engine.getInstance().newGradientCollector();
    }

    /** Applies the accumulated gradients; a non-finite gradient norm skips the update (version unchanged). */
    public AdamW.StepStats step() {
        AdamW.StepStats s = optimizer.step();
        model.parameters().markModified(); // weights written in place: derived caches must not survive
        if (!s.skipped()) {
            version++;
        }
        return s;
    }

    /** The current weights as a snapshot tagged with {@link #version()}. */
    public WeightSnapshot snapshot(SnapshotEncoding encoding) {
        return WeightSnapshot.export(model.parameters(), version, encoding);
    }

    @Override
    public void close() {
        optimizer.close();
        if (valueHead != null) {
            valueHead.close();
        }
        model.close();
        manager.close();
    }
}
