package troupe.roles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import troupe.core.engine.LearnerEngine;

/**
 * The learner's books: the step counter, the fate of every admitted batch (the ledger, the stale
 * and lost counts, the last trained batch id) and the checkpoints that carry them. A resumed run
 * continues the counters of its checkpoint.
 */
final class LearnerBook implements AutoCloseable {
    private final LearnerEngine engine;
    private final Checkpoints checkpoints;
    private final BatchLedger ledger;
    private long step;
    private long lastBatchId = -1;
    private long staleDropped;
    private long lost;

    LearnerBook(LearnerRunSettings settings, LearnerEngine engine, Logger log) {
        this.engine = engine;
        this.checkpoints = new Checkpoints(settings.checkpointDir(), settings.runId(),
                settings.checkpointTokenizer());
        this.ledger = new BatchLedger(settings.ledgerFile());
        // The engine was restored by the caller; the counters continue from the same checkpoint.
        settings.resumed().ifPresent(s -> {
            step = s.step();
            lastBatchId = s.lastBatchId();
            staleDropped = s.staleDropped();
            lost = s.lostBatches();
            ledger.resumed(s);
            checkpoints.adoptExisting(step);
            log.info("resumed at step {}, policy version {}, last batch {}", step, engine.policyVersion(),
                    lastBatchId);
        });
    }

    BatchLedger ledger() {
        return ledger;
    }

    long step() {
        return step;
    }

    long staleDropped() {
        return staleDropped;
    }

    long lost() {
        return lost;
    }

    Optional<Path> lastCheckpoint() {
        return checkpoints.last();
    }

    void stale(long batchId, long policyVersion) {
        staleDropped++;
        ledger.stale(batchId, policyVersion);
    }

    void lost(long batchId, String reason) {
        lost++;
        ledger.lost(batchId, reason);
    }

    /** One more step trained; {@code batchId} is the batch that completed it. */
    void trained(long batchId) {
        step++;
        lastBatchId = batchId;
    }

    /** True when the current step already has its checkpoint. */
    boolean checkpointed() {
        return checkpoints.lastStep() == step;
    }

    /** The current step's checkpoint: the existing one, or written now. */
    Path checkpoint() throws IOException {
        return checkpointed() ? checkpoints.last().orElseThrow()
                : checkpoints.write(step, engine, new Checkpoints.State(step, engine.policyVersion(), staleDropped,
                        lost, lastBatchId));
    }

    /** {@link #checkpoint} for the run's own schedule: a run that cannot checkpoint would lose its work silently. */
    void checkpointOrFail() {
        try {
            checkpoint();
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint of step " + step + " failed", e);
        }
    }

    @Override
    public void close() {
        ledger.close();
    }
}
