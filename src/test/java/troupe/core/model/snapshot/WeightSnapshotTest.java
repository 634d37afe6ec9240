package troupe.core.model.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import troupe.core.model.CausalLm;
import troupe.core.model.CausalLms;
import troupe.core.model.ModelConfig;
import troupe.core.model.ModelFormatException;
import troupe.core.model.ModelType;
import troupe.core.model.PaddedBatch;

class WeightSnapshotTest {

    static final ModelConfig CFG = ModelConfig.sized(ModelType.LLAMA, 20, 2, 32, 4, 32, 1, 2, 0);

    @Test
    void exportThenApplyMakesReplicasProduceIdenticalLogits() {
        try (NDManager m = NDManager.newBaseManager();
             CausalLm learner = CausalLms.random(CFG, m, 1);
             CausalLm replica = CausalLms.random(CFG, m, 2)) {
            assertTrue(maxDiff(logits(learner, m), logits(replica, m)) > 0);
            WeightSnapshot snap = WeightSnapshot.fromBytes(
                    WeightSnapshot.export(learner.parameters(), 7, SnapshotEncoding.F32).toBytes());
            assertEquals(7, snap.version());
            snap.applyTo(replica.parameters());
            assertArrayEquals(logits(learner, m), logits(replica, m));
        }
    }

    @Test
    void halfPrecisionSnapshotsAreCloseAndHalfTheSize() {
        try (NDManager m = NDManager.newBaseManager();
             CausalLm learner = CausalLms.random(CFG, m, 1);
             CausalLm replica = CausalLms.random(CFG, m, 2)) {
            WeightSnapshot f32 = WeightSnapshot.export(learner.parameters(), 1, SnapshotEncoding.F32);
            for (SnapshotEncoding e : new SnapshotEncoding[] {SnapshotEncoding.BF16, SnapshotEncoding.F16}) {
                WeightSnapshot half = WeightSnapshot.export(learner.parameters(), 1, e);
                assertTrue(half.sizeBytes() < f32.sizeBytes() * 0.55);
                half.applyTo(replica.parameters());
                assertTrue(maxDiff(logits(learner, m), logits(replica, m)) < 1e-2, e.name());
            }
        }
    }

    @Test
    void tamperedSnapshotIsRejected() {
        try (NDManager m = NDManager.newBaseManager(); CausalLm learner = CausalLms.random(CFG, m, 1)) {
            byte[] wire = WeightSnapshot.export(learner.parameters(), 3, SnapshotEncoding.F32).toBytes();
            wire[wire.length / 2] ^= 0x01;
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> WeightSnapshot.fromBytes(wire));
            assertTrue(e.getMessage().contains("checksum"), e.getMessage());
        }
    }

    @Test
    void shapeMismatchIsRejectedBeforeWriting() {
        ModelConfig wider = ModelConfig.sized(ModelType.LLAMA, 21, 2, 32, 4, 32, 1, 2, 0);
        try (NDManager m = NDManager.newBaseManager();
             CausalLm learner = CausalLms.random(CFG, m, 1);
             CausalLm other = CausalLms.random(wider, m, 2)) {
            float[] before = other.parameters().get("model.norm.weight").toFloatArray();
            WeightSnapshot snap = WeightSnapshot.export(learner.parameters(), 1, SnapshotEncoding.F32);
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> snap.applyTo(other.parameters()));
            assertTrue(e.getMessage().contains("'model.embed_tokens.weight'") && e.getMessage().contains("[21, 32]"),
                    e.getMessage());
            assertArrayEquals(before, other.parameters().get("model.norm.weight").toFloatArray());
        }
    }

    static float[] logits(CausalLm lm, NDManager root) {
        PaddedBatch b = PaddedBatch.of(new int[][] {{1, 5, 7, 3}, {1, 2}}, null, 0);
        try (NDManager m = root.newSubManager()) {
            return lm.forward(b.tokens(m), b.positions(m), b.mask(m), null).logits().toFloatArray();
        }
    }

    static double maxDiff(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }
}
