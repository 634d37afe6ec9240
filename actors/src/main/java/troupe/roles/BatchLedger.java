package troupe.roles;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The learner's record of what became of every admitted batch, one tab-separated line each,
 * flushed per line so it survives a kill of the learner's JVM:
 *
 * <pre>
 * trained  &lt;batch-id&gt;  &lt;step&gt;  &lt;policy-version-sampled&gt;
 * stale    &lt;batch-id&gt;  -       &lt;policy-version-sampled&gt;
 * lost     &lt;batch-id&gt;  -       &lt;reason&gt;
 * filtered &lt;batch-id&gt;  &lt;step&gt;  &lt;policy-version-sampled&gt;  kept K of G groups
 * resumed  &lt;last-batch-id&gt;  &lt;step&gt;  &lt;policy-version&gt;
 * </pre>
 *
 * Batch ids are assigned in admission order and never reused, so a reader checks that no id is
 * trained twice and that every id up to the last is trained, stale, lost (re-issued) or filtered.
 * With DAPO dynamic sampling a step draws several batches: the one that completes it is
 * {@code trained}, the earlier ones {@code filtered} into the same step (their kept groups were
 * trained in it, their zero-variance groups dropped). They are written when the step trains, so
 * a batch absorbed into a step that never trained (the run stopped or died) has no line, like
 * any batch in flight, and a resume re-samples it.
 * Appends, so a resumed run continues the same file after a {@code resumed} line naming the
 * checkpoint's last trained batch: ids after it that the lost learner had already settled are
 * admitted again (their steps were not in the checkpoint), so a reader starts over from there.
 */
final class BatchLedger implements AutoCloseable {
    private final BufferedWriter out;

    BatchLedger(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open batch ledger " + file, e);
        }
    }

    void trained(long batchId, long step, long policyVersion) {
        line("trained\t" + batchId + "\t" + step + "\t" + policyVersion);
    }

    void stale(long batchId, long policyVersion) {
        line("stale\t" + batchId + "\t-\t" + policyVersion);
    }

    void filtered(long batchId, long step, long policyVersion, int kept, int groups) {
        line("filtered\t" + batchId + "\t" + step + "\t" + policyVersion + "\tkept " + kept + " of " + groups + " groups");
    }

    void lost(long batchId, String reason) {
        line("lost\t" + batchId + "\t-\t" + reason.replace('\t', ' ').replace('\n', ' '));
    }

    /** A learner resumed from a checkpoint: ids after {@code state.lastBatchId()} count afresh. */
    void resumed(Checkpoints.State state) {
        line("resumed\t" + state.lastBatchId() + "\t" + state.step() + "\t" + state.policyVersion());
    }

    private void line(String s) {
        try {
            out.write(s);
            out.newLine();
            out.flush();
        } catch (IOException e) {
            // A ledger that cannot be written would hide a lost or twice-trained batch: stop the learner.
            throw new UncheckedIOException("batch ledger write failed", e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
