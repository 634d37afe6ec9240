package troupe.core.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import troupe.core.model.CausalLms;
import troupe.core.model.ModelConfig;
import troupe.core.model.ModelType;
import troupe.core.model.PaddedBatch;
import troupe.core.model.ValueHead;
import troupe.core.model.scoring.PolicyLogProbs;

class TrainTest {

    @TempDir
    Path dir;

    static final int[][] PROMPTS = {{1, 3, 4}, {1, 5}, {1, 6, 7, 8}, {1, 9}};
    static final int[][] RESPONSES = {{10, 11, 2}, {12, 2}, {13, 14, 15, 2}, {3, 2}};
    static final OptimizerSettings OPT = OptimizerSettings.defaults().withSchedule(1e-2, 2, 20);

    static TrainablePolicy policy(ModelType type, boolean valueHead, NDManager m) {
        ModelConfig cfg = ModelConfig.sized(type, 20, 2, 32, 4, 32, 1, 2, 0);
        return new TrainablePolicy(CausalLms.random(cfg, m, 1), valueHead ? new ValueHead(32, m, 2) : null, OPT, m);
    }

    /** Masked mean NLL of rows [from, to) times {@code scale}; backward inside. */
    static double microStep(TrainablePolicy p, int from, int to, double scale) {
        PaddedBatch b = PaddedBatch.of(java.util.Arrays.copyOfRange(PROMPTS, from, to),
                java.util.Arrays.copyOfRange(RESPONSES, from, to), 0);
        try (NDManager m = p.newStepManager(); GradientCollector gc = p.newGradientCollector()) {
            PolicyLogProbs out = PolicyLogProbs.compute(p.model(), b, 1.0, m);
            NDArray loss = out.logprobs().mul(out.mask()).sum().neg().div(out.mask().sum());
            if (p.valueHead() != null) {
                NDArray v = p.valueHead().values(out.hidden()); // [B, L], target 1
                loss = loss.add(v.sub(m.create(1f)).square().mul(out.mask()).sum().div(out.mask().sum()));
            }
            NDArray scaled = loss.mul(m.create((float) scale));
            gc.backward(scaled);
            return loss.getFloat();
        }
    }

    @Test
    void trainingStepsLowerTheLoss() {
        for (ModelType type : ModelType.values()) {
            try (NDManager m = NDManager.newBaseManager(); TrainablePolicy p = policy(type, true, m)) {
                double first = microStep(p, 0, 4, 1);
                AdamW.StepStats s = p.step();
                assertTrue(s.gradNorm() > 0 && !s.skipped());
                double last = first;
                for (int i = 0; i < 15; i++) {
                    last = microStep(p, 0, 4, 1);
                    p.step();
                }
                assertTrue(last < first * 0.7, type + ": loss " + first + " → " + last);
                assertEquals(16, p.version());
            }
        }
    }

    @Test
    void accumulatedHalvesGiveTheFullBatchGradientAndStepZeroesIt() {
        try (NDManager m = NDManager.newBaseManager();
             TrainablePolicy a = policy(ModelType.LLAMA, false, m);
             TrainablePolicy b = policy(ModelType.LLAMA, false, m)) {
            // Token-mean over the whole step: weight each half by its share of the 11 response tokens.
            int tokensA = 3 + 2;
            int tokensB = 4 + 2;
            microStep(a, 0, 4, 1);
            microStep(b, 0, 2, (double) tokensA / (tokensA + tokensB));
            microStep(b, 2, 4, (double) tokensB / (tokensA + tokensB));
            for (String k : a.trainable().keySet()) {
                try (NDArray ga = a.trainable().get(k).getGradient(); NDArray gb = b.trainable().get(k).getGradient()) {
                    assertArrayEquals(ga.toFloatArray(), gb.toFloatArray(), 1e-6f, k);
                }
            }
            b.step();
            for (String k : b.trainable().keySet()) {
                try (NDArray g = b.trainable().get(k).getGradient()) {
                    assertEquals(0f, g.abs().max().getFloat(), k + " gradient is zeroed by step()");
                }
            }
        }
    }

    @Test
    void resumeFromCheckpointContinuesExactly() throws IOException {
        Path ckpt = dir.resolve("ckpt.safetensors");
        float[] continued;
        try (NDManager m = NDManager.newBaseManager(); TrainablePolicy p = policy(ModelType.QWEN2, true, m)) {
            for (int i = 0; i < 3; i++) {
                microStep(p, 0, 4, 1);
                p.step();
            }
            Checkpoints.save(p, ckpt);
            for (int i = 0; i < 3; i++) {
                microStep(p, 0, 4, 1);
                p.step();
            }
            continued = p.model().parameters().get("model.layers.1.mlp.up_proj.weight").toFloatArray();
        }
        try (NDManager m = NDManager.newBaseManager(); TrainablePolicy p = Checkpoints.load(ckpt, OPT, m)) {
            assertEquals(3, p.version());
            assertTrue(p.valueHead() != null);
            for (int i = 0; i < 3; i++) {
                microStep(p, 0, 4, 1);
                p.step();
            }
            assertArrayEquals(continued, p.model().parameters().get("model.layers.1.mlp.up_proj.weight").toFloatArray());
        }
    }

    @Test
    void crashMidSaveLeavesThePreviousCheckpointLoadable() throws IOException {
        Path ckpt = dir.resolve("ckpt.safetensors");
        float[] saved;
        try (NDManager m = NDManager.newBaseManager(); TrainablePolicy p = policy(ModelType.GPT2, false, m)) {
            Checkpoints.save(p, ckpt);
            saved = p.model().parameters().get("transformer.h.0.attn.c_attn.weight").toFloatArray();
            microStep(p, 0, 4, 1);
            p.step();
            IOException crash = assertThrows(IOException.class, () -> Checkpoints.save(p, ckpt, CrashAfter::new));
            assertEquals("simulated crash", crash.getMessage());
        }
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "the temp file is removed");
        }
        try (NDManager m = NDManager.newBaseManager(); TrainablePolicy p = Checkpoints.load(ckpt, OPT, m)) {
            assertEquals(0, p.version());
            assertArrayEquals(saved, p.model().parameters().get("transformer.h.0.attn.c_attn.weight").toFloatArray());
        }
    }

    @Test
    void warmupThenCosineSchedule() {
        OptimizerSettings s = OptimizerSettings.defaults().withSchedule(1.0, 4, 14);
        assertEquals(0.25, s.learningRateAt(0), 1e-12);
        assertEquals(1.0, s.learningRateAt(3), 1e-12);
        assertEquals(1.0, s.learningRateAt(4), 1e-12);
        assertEquals(0.1 + 0.45 * (1 + Math.cos(Math.PI * 0.5)), s.learningRateAt(9), 1e-12);
        assertEquals(0.1, s.learningRateAt(14), 1e-12);
        assertEquals(0.1, s.learningRateAt(100), 1e-12);
        assertFalse(s.learningRateAt(5) > s.learningRateAt(4));
    }

    /** Writes 4 KiB, then throws: a process dying halfway through a save. */
    static final class CrashAfter extends FilterOutputStream {
        private long written;

        CrashAfter(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            check(1);
            super.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            check(len);
            out.write(b, off, len);
        }

        private void check(int n) throws IOException {
            written += n;
            if (written > 4096) {
                throw new IOException("simulated crash");
            }
        }
    }
}
