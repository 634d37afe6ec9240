package troupe.roles;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import troupe.core.checkpoint.CheckpointModel;
import troupe.core.checkpoint.CheckpointStore;
import troupe.core.engine.LearnerEngine;
import troupe.core.model.hf.TextTokenizer;
import troupe.core.rl.LearnerEngines;

/**
 * The learner's checkpoint folders: {@code <dir>/step-000000020/} holding the engine's files plus
 * {@value #STATE_FILE} with the learner actor's own counters and, given the run's tokenizer, the
 * policy as a Hugging Face folder ({@link CheckpointModel#FOLDER}), written through
 * {@link CheckpointStore}: a crash mid-write never leaves a half checkpoint that looks whole, and
 * the manifest written last lets {@code --resume} skip (and name) one truncated or corrupted later.
 */
public final class Checkpoints {
    static final String STATE_FILE = "learner-state.properties";

    /** The actor's counters at the checkpoint; {@code lastBatchId} lets a resume continue batch ids. */
    public record State(long step, long policyVersion, long staleDropped, long lostBatches, long lastBatchId) {}

    /**
     * The actor counters saved in a checkpoint folder written by this class (its engine files sit
     * beside them and are loaded by {@link LearnerEngine#restore}).
     */
    public static State read(Path folder) throws IOException {
        Path file = folder.resolve(STATE_FILE);
        if (!Files.isRegularFile(file)) {
            throw new IOException(folder + " is not a Troupe checkpoint (no " + STATE_FILE + ")");
        }
        Properties p = new Properties();
        try (var r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        return new State(Long.parseLong(p.getProperty("step")), Long.parseLong(p.getProperty("policy-version")),
                Long.parseLong(p.getProperty("stale-batches-dropped")), Long.parseLong(p.getProperty("lost-batches")),
                Long.parseLong(p.getProperty("last-batch-id")));
    }

    /** Every checkpoint is kept; the store makes each one atomic (temporary folder, fsync, rename). */
    private final CheckpointStore store;
    private final Path dir;
    private final String runId;
    /** Null: no model folder in the checkpoints. */
    private final TextTokenizer tokenizer;
    private Path last;
    private long lastStep = -1;

    Checkpoints(Path dir, String runId, TextTokenizer tokenizer) {
        this.store = new CheckpointStore(dir, Integer.MAX_VALUE);
        this.dir = dir;
        this.runId = runId;
        this.tokenizer = tokenizer;
    }

    /**
     * A learner resumed at {@code step} from a checkpoint in this folder takes it as its last one,
     * so a checkpoint asked for before the next step (SIGTERM right after the restart) names it
     * instead of overwriting the folder it was resumed from.
     */
    void adoptExisting(long step) {
        Path folder = dir.resolve(String.format("step-%09d", step));
        if (Files.isRegularFile(folder.resolve(STATE_FILE))) {
            last = folder;
            lastStep = step;
        }
    }

    Path write(long step, LearnerEngine engine, State state) throws IOException {
        Path target = store.save(step, folder -> {
            engine.saveCheckpoint(folder);
            if (tokenizer != null) {
                LearnerEngines.saveModel(engine, folder.resolve(CheckpointModel.FOLDER), tokenizer);
            }
            Properties p = new Properties();
            p.setProperty("run-id", runId);
            p.setProperty("step", Long.toString(state.step()));
            p.setProperty("policy-version", Long.toString(state.policyVersion()));
            p.setProperty("stale-batches-dropped", Long.toString(state.staleDropped()));
            p.setProperty("lost-batches", Long.toString(state.lostBatches()));
            p.setProperty("last-batch-id", Long.toString(state.lastBatchId()));
            try (Writer w = Files.newBufferedWriter(folder.resolve(STATE_FILE))) {
                p.store(w, "Troupe learner state");
            }
        });
        last = target;
        lastStep = step;
        return target;
    }

    Optional<Path> last() {
        return Optional.ofNullable(last);
    }

    long lastStep() {
        return lastStep;
    }
}
