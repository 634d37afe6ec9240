package troupe.core.checkpoint;

import ai.djl.ndarray.NDManager;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import troupe.core.model.CausalLm;
import troupe.core.model.CausalLms;
import troupe.core.model.ModelConfig;
import troupe.core.model.ModelType;
import troupe.core.model.hf.ByteTokenizer;
import troupe.core.checkpoint.AtomicFiles;
import troupe.core.model.hf.HfFolder;
import troupe.core.model.hf.Safetensors;
import troupe.core.model.train.Checkpoints;
import troupe.core.model.train.OptimizerSettings;
import troupe.core.model.train.TrainablePolicy;

/**
 * The writes {@link CrashConsistencyTest} kills: a learner checkpoint (policy, AdamW moments and
 * step, a state file) through {@link CheckpointStore}, and a model export through
 * {@link HfFolder#write}. Version {@code v} of each is a deterministic function of {@code v}, so
 * the parent knows what a complete one must hold.
 *
 * <p>The child ({@code main(checkpoint|export, dir, source)}, run with
 * {@code -Dtroupe.crash-point=K}) starts no PyTorch engine (~1.7 CPU-s a start): it reads the
 * tensors the parent produced with the engine from {@code source} (a checkpoint file, or an
 * export folder) and writes them through the same writers the learner's save ends in
 * ({@link Safetensors#write} in {@link AtomicFiles}, inside {@link CheckpointStore#save};
 * {@link HfFolder#write}).
 */
final class CrashWriter {
    /** ~120k parameters (0.5 MB of fp32, 1.4 MB with AdamW's moments): many 16 KiB crash points, a fast child. */
    static final ModelConfig CONFIG = ModelConfig.sized(ModelType.GPT2, ByteTokenizer.VOCAB, 2, 64, 4, 64,
            ByteTokenizer.BOS, ByteTokenizer.EOS, ByteTokenizer.PAD);
    static final OptimizerSettings OPT = new OptimizerSettings(6e-4, 0.9, 0.95, 1e-8, 0.1, 1.0, 0, 0, 0.1);
    static final String POLICY = "policy.safetensors";
    static final String STATE = "state.properties";

    private CrashWriter() {}

    /** The model of version {@code v}: weights seeded by {@code v}. */
    static CausalLm model(long v, NDManager m) {
        return CausalLms.random(CONFIG, m, v);
    }

    /** The learner state of checkpoint {@code step}: the model of that version, AdamW at step 10·step. */
    static TrainablePolicy policy(long step, NDManager m) {
        TrainablePolicy p = new TrainablePolicy(model(step, m), null, OPT, m);
        p.optimizer().restore(p.optimizer().stateToHost(), 10 * step);
        return p;
    }

    static void checkpoint(Path root, long step, NDManager m) throws Exception {
        try (TrainablePolicy p = policy(step, m)) {
            new CheckpointStore(root, 3).save(step, f -> {
                Checkpoints.save(p, f.resolve(POLICY));
                Files.writeString(f.resolve(STATE), "step=" + step + "\n", StandardCharsets.UTF_8);
            });
        }
    }

    static void export(Path dir, long v, NDManager m) throws Exception {
        try (CausalLm lm = model(v, m)) {
            HfFolder.save(dir, lm, new ByteTokenizer());
        }
    }

    /** Parameters as host arrays, for comparing what was loaded with what was written. */
    static Map<String, float[]> weights(CausalLm lm) {
        return lm.parameters().toHost();
    }

    /** The checkpoint of {@code step} written from a source checkpoint file (as {@link #checkpoint} writes it). */
    static void checkpointFrom(Path root, long step, Path source) throws Exception {
        Safetensors.Contents c = Safetensors.read(source);
        new CheckpointStore(root, 3).save(step, f -> {
            AtomicFiles.write(f.resolve(POLICY), out -> Safetensors.write(out, c.tensors(), c.metadata()));
            Files.writeString(f.resolve(STATE), "step=" + step + "\n", StandardCharsets.UTF_8);
        });
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        Path source = Path.of(args[2]);
        if (args[0].equals("checkpoint")) {
            checkpointFrom(dir, 2, source);
        } else {
            HfFolder.write(dir, HfFolder.readConfig(source),
                    Safetensors.read(source.resolve(HfFolder.WEIGHTS)).tensors(), new ByteTokenizer());
        }
        System.out.println("DONE");
        System.out.flush();
    }
}
