package troupe.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import troupe.core.model.scoring.PolicyLogProbs;
import troupe.core.model.snapshot.SnapshotEncoding;
import troupe.core.model.snapshot.WeightSnapshot;
import troupe.core.model.train.OptimizerSettings;
import troupe.core.model.train.TrainablePolicy;

/** Cached derived weights (the fused q|k|v matrix and bias) always reflect the current parameters. */
class DerivedWeightsTest {

    static final int[][] PROMPTS = {{1, 3, 4}, {1, 5}};
    static final int[][] RESPONSES = {{10, 11, 2}, {12, 2}};

    static ModelConfig cfg(ModelType type) {
        return ModelConfig.sized(type, 20, 2, 32, 4, 32, 1, 2, 0);
    }

    static float[] logits(CausalLm lm, NDManager root) {
        PaddedBatch b = PaddedBatch.of(PROMPTS, RESPONSES, 0);
        try (NDManager m = root.newSubManager()) {
            return lm.forward(b.tokens(m), b.positions(m), b.mask(m), null).logits().toFloatArray();
        }
    }

    /** A model rebuilt from host copies of {@code lm}'s weights: nothing cached from before. */
    static float[] freshLogits(CausalLm lm, NDManager root) {
        ParameterStore copy = ParameterStore.of(lm.config(), lm.parameters().toHost(), lm.parameters().shapes(), root);
        try (CausalLm fresh = CausalLms.of(lm.config(), copy)) {
            return logits(fresh, root);
        }
    }

    @ParameterizedTest
    @EnumSource(ModelType.class)
    void snapshotAppliedInPlaceReplacesCachedFusedWeights(ModelType type) {
        try (NDManager root = NDManager.newBaseManager();
             CausalLm learner = CausalLms.random(cfg(type), root, 1);
             CausalLm replica = CausalLms.random(cfg(type), root, 2)) {
            float[] before = logits(replica, root); // builds the replica's caches
            WeightSnapshot.export(learner.parameters(), 1, SnapshotEncoding.F32).applyTo(replica.parameters());
            float[] after = logits(replica, root);
            assertTrue(maxDiff(before, after) > 1e-3, "weights changed, so must the logits");
            assertArrayEquals(logits(learner, root), after);
            assertArrayEquals(freshLogits(replica, root), after);
        }
    }

    @ParameterizedTest
    @EnumSource(value = ModelType.class, names = {"LLAMA", "QWEN2"})
    void optimizerStepsAreSeenByTheNextForwardAndAfterTrainingEnds(ModelType type) {
        try (NDManager root = NDManager.newBaseManager();
             TrainablePolicy p = new TrainablePolicy(CausalLms.random(cfg(type), root, 1), null,
                     OptimizerSettings.defaults().withSchedule(1e-2, 0, 10), root)) {
            float[] before = logits(p.model(), root);
            for (int i = 0; i < 2; i++) {
                step(p);
                float[] now = logits(p.model(), root);
                assertTrue(maxDiff(before, now) > 1e-4, "step " + i + " changed the weights");
                assertArrayEquals(freshLogits(p.model(), root), now, 1e-6f);
                before = now;
            }
            // Training over: inference caches are built now and must still follow later writes.
            p.model().parameters().setRequiresGradient(false);
            float[] cached = logits(p.model(), root);
            assertArrayEquals(freshLogits(p.model(), root), cached, 1e-6f);
            String q = "model.layers.0.self_attn.q_proj.weight";
            float[] w = p.model().parameters().get(q).toFloatArray();
            for (int i = 0; i < w.length; i++) {
                w[i] = -w[i];
            }
            p.model().parameters().copyInto(q, w);
            float[] after = logits(p.model(), root);
            assertTrue(maxDiff(cached, after) > 1e-4);
            assertArrayEquals(freshLogits(p.model(), root), after, 1e-6f);
        }
    }

    @ParameterizedTest
    @EnumSource(value = ModelType.class, names = {"LLAMA", "QWEN2"})
    void directWritesAreSeenAfterMarkModified(ModelType type) {
        try (NDManager root = NDManager.newBaseManager(); CausalLm lm = CausalLms.random(cfg(type), root, 3)) {
            float[] before = logits(lm, root);
            String v = "model.layers.1.self_attn.v_proj." + (type == ModelType.QWEN2 ? "bias" : "weight");
            NDArray a = lm.parameters().get(v);
            float[] w = a.toFloatArray();
            java.util.Arrays.fill(w, 0.5f);
            a.set(w);
            lm.parameters().markModified();
            float[] after = logits(lm, root);
            assertTrue(maxDiff(before, after) > 1e-4);
            assertArrayEquals(freshLogits(lm, root), after);
        }
    }

    private static void step(TrainablePolicy p) {
        PaddedBatch b = PaddedBatch.of(PROMPTS, RESPONSES, 0);
        try (NDManager m = p.newStepManager(); GradientCollector gc = p.newGradientCollector()) {
            PolicyLogProbs out = PolicyLogProbs.compute(p.model(), b, 1.0, m);
            gc.backward(out.logprobs().mul(out.mask()).sum().neg().div(out.mask().sum()));
        }
        p.step();
    }

    static double maxDiff(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }
}
