package troupe.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import troupe.core.model.CausalLm;
import troupe.core.model.CausalLms;
import troupe.core.model.ModelConfig;
import troupe.core.model.ModelType;
import troupe.core.model.hf.ByteTokenizer;
import troupe.core.model.snapshot.SnapshotEncoding;
import troupe.core.model.snapshot.WeightSnapshot;
import troupe.core.rl.PolicyRolloutEngine;
import troupe.core.rl.WeightUpdates;

class ReplicaWeightsTest {
    private static final ModelConfig CONFIG = ModelConfig.sized(ModelType.LLAMA, ByteTokenizer.VOCAB, 1, 16, 2, 16,
            ByteTokenizer.BOS, ByteTokenizer.EOS, ByteTokenizer.PAD);

    private final NDManager manager = NDManager.newBaseManager();
    private final CausalLm source = CausalLms.random(CONFIG, manager, 3);
    private final PolicyRolloutEngine engine = new PolicyRolloutEngine(CausalLms.random(CONFIG, manager, 5),
            new ByteTokenizer(), manager, 0, "");
    private final ReplicaWeights weights = new ReplicaWeights(engine);

    @AfterEach
    void close() {
        engine.close();
        manager.close();
    }

    /** Real weights of the source model, labelled {@code version}. */
    private WeightUpdate update(long version) {
        return WeightUpdates.of(WeightSnapshot.export(source.parameters(), version, SnapshotEncoding.F32), 1 << 20);
    }

    @Test
    void aNewerVersionReplacesTheLoadedOneAndAnOlderOneIsHeldOff() {
        assertEquals(new ReplicaWeights.Held(2, Optional.empty()), weights.apply(update(2), ReplicaWeights.SAME_INCARNATION));
        assertEquals(new ReplicaWeights.Held(2, Optional.empty()), weights.apply(update(1), ReplicaWeights.SAME_INCARNATION));
        assertEquals(2, weights.version());
        assertTrue(weights.ready(2));
        assertFalse(weights.ready(3));
    }

    @Test
    void aResumedLearnerIncarnationTakesTheReplicaBackInVersions() {
        assertEquals(new ReplicaWeights.Held(3, Optional.empty()), weights.apply(update(3), 7));
        assertFalse(weights.replaces(2, 7), "same learner, older version");
        assertTrue(weights.replaces(2, 9), "another learner: any version");
        assertEquals(new ReplicaWeights.Held(1, Optional.of(3L)), weights.apply(update(1), 9));
        assertEquals(1, weights.version());
        assertEquals(new ReplicaWeights.Held(1, Optional.empty()), weights.apply(update(1), 9));
    }

    @Test
    void aCorruptUpdateIsRefusedYetEndsTheWaitForItsVersion() {
        WeightUpdate good = update(4);
        WeightUpdate corrupt = new WeightUpdate(4, good.chunks(), good.checksum() + 1);
        assertEquals(new ReplicaWeights.Refused(4, 0, "checksum mismatch", Optional.empty()),
                weights.apply(corrupt, ReplicaWeights.SAME_INCARNATION));
        assertEquals(0, weights.version());
        assertTrue(weights.ready(4), "waiting longer would not bring version 4");
        assertFalse(weights.ready(5));
    }

    @Test
    void anUpdateTheEngineCannotLoadIsRefusedWithItsCause() {
        ReplicaWeights.Refused r = assertInstanceOf(ReplicaWeights.Refused.class,
                weights.apply(WeightUpdate.of(5, List.of(new byte[] {1, 2, 3})), ReplicaWeights.SAME_INCARNATION));
        assertEquals(5, r.version());
        assertEquals(0, r.loadedVersion());
        assertTrue(r.cause().isPresent());
        assertEquals(ReplicaWeights.describe(r.cause().get()), r.reason());
    }
}
